"""A customer's search text is one text whatever order its contacts and identifiers come in:
the importer composes it from a file's rows, the store composes it again from rows in the
order an index hands them, and the two must agree or the index is rewritten for nothing."""

from __future__ import annotations

import itertools

from crm_desktop.models.search_keys import search_text_of

CONTACTS = [
    ("王伟", "wang@example.com", None, "+8613800138000"),
    ("李娜", None, "+867558881234", None),
    ("Emily", "emily@example.com", None, None),
]
IDENTIFIERS = ["粤B12345", "440301199001011234", "P-7788"]


def test_the_text_does_not_depend_on_the_order_of_contacts_and_identifiers() -> None:
    texts = {
        search_text_of("华强电子", "华强", "info@hq.cn", ["+8675588881234"], people, values)
        for people in itertools.permutations(CONTACTS)
        for values in itertools.permutations(IDENTIFIERS)
    }
    assert len(texts) == 1
    (text,) = texts
    for word in ("王伟", "wangwei", "emily@example.com", "粤b12345".lower(), "p7788"):
        assert word in text, word
