"""Likely duplicates of customers and contacts: the same phone in any spelling, the same email,
the same identifier, or (customers) a similar company name in the same city.

`find_duplicate_groups` searches a whole store (the Find duplicates page); `DuplicateIndex`
checks rows about to be imported against the store and against the file's earlier rows.
No Qt widgets here: the pages that show the results are in views/.
"""

from crm_desktop.duplicates.index import DuplicateIndex
from crm_desktop.duplicates.model import DuplicateGroup, Match, Member, Reason, Why, reasons_text
from crm_desktop.duplicates.scan import STEPS, find_duplicate_groups

__all__ = [
    "STEPS",
    "DuplicateGroup",
    "DuplicateIndex",
    "Match",
    "Member",
    "Reason",
    "Why",
    "find_duplicate_groups",
    "reasons_text",
]
