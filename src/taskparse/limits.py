"""Safety limits, each named once with its unit."""

MAX_INPUT_BYTES = 200 * 1024 * 1024  # bytes read from one input file
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # bytes one .docx may inflate to (zip bombs)
MAX_PDF_PAGES = 2000  # pages parsed from one PDF
MAX_LINE_CHARS = 200_000  # a longer line is cut into pieces of this size before parsing
MAX_UNIT_CHARS = 80  # a "unit" longer than this is prose, not a unit name
