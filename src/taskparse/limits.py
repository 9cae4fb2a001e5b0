"""Safety limits, each named once with its unit."""

MAX_INPUT_BYTES = 200 * 1024 * 1024  # bytes read from one input file
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # bytes one .docx may inflate to (zip bombs), all parts together
MAX_PART_BYTES = 64 * 1024 * 1024  # bytes one .docx part may inflate to, counted while inflating
MAX_PDF_PAGES = 2000  # pages parsed from one PDF
MAX_PDF_STREAM_BYTES = 64 * 1024 * 1024  # bytes one Flate stream (content, fonts, objects) may inflate to
MAX_PDF_INFLATED_BYTES = 384 * 1024 * 1024  # ... and all of them together (images are not counted)
MAX_LINE_CHARS = 200_000  # a longer line is cut into pieces of this size before parsing
MAX_UNIT_CHARS = 80  # a "unit" longer than this is prose, not a unit name
MAX_REMEMBERED = 4096  # texts each remembered parse keeps per process (clauses, unit names, time limits)

# What one document may produce, whatever its format (extractors/_common.Budget).  A real notice
# has a few thousand lines and cells; the parser holds about 1.5 KB per line, so the line budget
# is what keeps a file of millions of one-character lines under 1 GB.
MAX_DOCUMENT_BLOCKS = 300_000  # lines plus table rows
MAX_DOCUMENT_CHARS = 30_000_000  # characters of text, all blocks together
CHARS_PER_INPUT_BYTE = 64  # ... and at most this many per byte of the input file (compressed formats)
MIN_CHAR_BUDGET = 1_000_000  # the relative budget never goes below this
MAX_TABLE_CELLS = 1_000_000  # table grid positions (rows x columns, merged copies and padding included)
MAX_LIST_START = 32767  # Word's "Start at" range is 0-32767: larger start values are clamped
MAX_LIST_LABEL_CHARS = 64  # a longer list label (letters past zzz…) is written in digits instead
MAX_TABLE_COLUMNS = 256  # a wider "table" is read as lines: padding it to a grid could take quadratic memory
