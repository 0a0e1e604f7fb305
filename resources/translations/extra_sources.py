"""Messages the code translates but pyside6-lupdate cannot see; scanned by update.sh only.

lupdate's Python parser does not look inside f-strings, so a ``self.tr(...)`` written in one is
never extracted. Each message below repeats such a call's context and source text exactly, so it
still gets a translation. Once the call moves out of the f-string, delete its line here.
This file is never imported.
"""

from PySide6.QtCore import QT_TRANSLATE_NOOP

# crm_desktop/views/customer_page.py, CustomerPage._timeline_html: f"<p>{...self.tr(...)}</p>"
QT_TRANSLATE_NOOP("CustomerPage", "No follow-ups yet.")


# lupdate reads a plural (numerus) message only from a tr() call, filed under the class the call
# is written in; QCoreApplication.translate(context, text, "", n) gives it none. The main
# window's parts (crm_desktop/views/record_actions.py, sync_status.py) translate these in the
# window's context, where their translations are:
class MainWindow:
    def plurals(self, n):
        self.tr("Delete %n record(s)? You can undo this right after.", "", n)
        self.tr("Deleted %n record(s).", "", n)
        self.tr("%n change(s) waiting", "", n)
        self.tr("%n conflict(s)", "", n)
        self.tr("%n of your customers return(s) to the pool within %1 days", "", n)
        self.tr("%n customer(s) just received may be duplicates", "", n)
        self.tr("%n record(s) merged into one.", "", n)


# crm_desktop/views/backups_dialog.py, report_text: QCoreApplication.translate("Backups", ..., n)
class Backups:
    def plurals(self, n):
        self.tr(
            "%n change(s) not yet sent to the server are kept; the next sync sends them"
            " and downloads everything again.",
            "",
            n,
        )
        self.tr(
            "%n record(s) were saved from the damaged file. No server is linked, so records"
            " that could not be read are not back; an older backup may hold them.",
            "",
            n,
        )


# crm_desktop/commands/renewals.py and sync_.py: QCoreApplication.translate(context, ..., n=...)
class RenewalsCommand:
    def plurals(self, n):
        self.tr("%n contract(s) ending from {start} to {end}:", "", n)


class SyncCommand:
    def plurals(self, n):
        self.tr("%n customer(s) not followed up in time returned to the pool.", "", n)


# crm_desktop/transfer/contact_persons.py, CONTACTS_ADDED: QCoreApplication.translate(..., n)
class Transfer:
    def plurals(self, n):
        self.tr("Added %n contact person(s) with them.", "", n)
        self.tr(
            "The import was undone; %n of the records it added stay, because they were changed or "
            "had something added to them since.",
            "",
            n,
        )
