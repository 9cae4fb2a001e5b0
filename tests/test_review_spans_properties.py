"""Spans on any text: alignment never fails loudly, and whatever it returns is exact (a task it
cannot place gets no spans, never wrong ones)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from taskparse import spans as S
from taskparse.document import Document
from taskparse.extractors.txt import lines_of
from taskparse.parser import parse
from test_properties import genre_text, mutated_seed, structured_text

EXAMPLES = int(os.environ.get("TASKPARSE_PROPERTY_EXAMPLES", "150"))
PROPS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_spans(text: str) -> None:
    doc = Document(blocks=list(lines_of(text)), format="txt")
    ex, result = S.annotate(doc, parse(doc))
    n = len(ex.text)
    for t in result.tasks:
        sp = t.spans
        for a, b in sp.number + sp.text + sp.clause + [r.span for r in sp.roles if r.span]:
            assert 0 <= a < b <= n
        if sp.text:
            assert S.rebuilds(ex.text, sp.text, t.text), (t.id, t.text, [ex.text[a:b] for a, b in sp.text])
        if sp.clause:
            assert S.rebuilds(ex.text, sp.clause, t.clause, labels=True), (t.id, t.clause)
        for r in sp.roles:
            if r.span:
                assert S.squeeze(ex.text[r.span[0]:r.span[1]]) == S.squeeze(r.name)


@PROPS
@given(genre_text)
def test_spans_on_genre_text(text):
    check_spans(text)


@PROPS
@given(structured_text)
def test_spans_on_structured_notices(text):
    check_spans(text)


@PROPS
@given(mutated_seed())
def test_spans_on_mutated_seeds(text):
    check_spans(text)
