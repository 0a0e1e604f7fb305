"""Messages the code translates but pyside6-lupdate cannot see; scanned by update.sh only.

lupdate's Python parser does not look inside f-strings, so a ``self.tr(...)`` written in one is
never extracted. Each message below repeats such a call's context and source text exactly, so it
still gets a translation. Once the call moves out of the f-string, delete its line here.
This file is never imported.
"""

from PySide6.QtCore import QT_TRANSLATE_NOOP

# crm_desktop/views/customer_page.py, CustomerPage._timeline_html: f"<p>{...self.tr(...)}</p>"
QT_TRANSLATE_NOOP("CustomerPage", "No follow-ups yet.")
