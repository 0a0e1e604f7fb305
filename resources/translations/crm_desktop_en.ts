<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../crm_desktop/views/about_dialog.py" line="+45"/>
        <source>About CRM Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Version {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline-first CRM for field sales teams.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Free software under the GNU General Public License, version 3 or later ({licence}): you may share and change it under its terms. It comes with no warranty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+2"/>
        <source>Profile folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+2"/>
        <source>Log file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For a message to support: version, system, files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../crm_desktop/views/assign_dialog.py" line="+47"/>
        <source>Assign customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Give %n customer(s) to a member of your team:</source>
        <translation>
            <numerusform>Give %n customer to a member of your team:</numerusform>
            <numerusform>Give %n customers to a member of your team:</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Receiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Why (optional; kept in the customer&apos;s history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading your team…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Your device knows nobody you may give customers to; sync and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Asking the server…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="+96"/>
        <source>No backups in {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This replaces the data in {folder} with the copy {copy}; the current data is kept aside in the backups folder. Linked to a server, changes not yet synced are kept; on this computer only, what was entered after the copy was made is only in the data kept aside.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Restore? [y/N] </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is no data file in {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The data file is sound.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The data file&apos;s indexes were damaged and have been rebuilt; nothing was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>It was rebuilt from the backup of {when} ({path}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Restored the copy of {when} ({path}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <location line="-150"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+57"/>
        <source>daily</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>before update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>before restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+137"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+17"/>
        <source>The data file was damaged and has been replaced.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+6"/>
        <source>It was rebuilt from the backup of {when}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The copy of {when} was restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="+15"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+6"/>
        <source>The data it replaced is kept in {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+6"/>
        <source>The copy was made by another user&apos;s CRM Desktop: you stay the user here, and the next sync replaces its records with yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+30"/>
        <source>No server is linked, so the records could not be brought back; an older backup may hold them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="+28"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+8"/>
        <source>Parts of the damaged file could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+4"/>
        <source>Start CRM Desktop again to work with the restored data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+177"/>
        <source>Restore a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The backup was not restored: save or close your open forms first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+50"/>
        <location line="+31"/>
        <location line="+5"/>
        <location line="+65"/>
        <location line="+18"/>
        <location line="+9"/>
        <source>CRM Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Checking your data file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Your data file is damaged. Repairing it from what can be read…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Making today&apos;s backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Today&apos;s backup could not be made: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Restoring your data from the backup you chose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The backup was not restored: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+34"/>
        <source>%n change(s) not yet sent to the server are kept; the next sync sends them and downloads everything again.</source>
        <translation>
            <numerusform>%n change not yet sent to the server is kept; the next sync sends it and downloads everything again.</numerusform>
            <numerusform>%n changes not yet sent to the server are kept; the next sync sends them and downloads everything again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n record(s) were saved from the damaged file. No server is linked, so records that could not be read are not back; an older backup may hold them.</source>
        <translation>
            <numerusform>%n record was saved from the damaged file. No server is linked, so records that could not be read are not back; an older backup may hold them.</numerusform>
            <numerusform>%n records were saved from the damaged file. No server is linked, so records that could not be read are not back; an older backup may hold them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="-354"/>
        <source>Backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A copy of your data is made each day when you quit; the last 7 days and 4 weeks before are kept, in {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Restore…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Making a copy of your data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Restore the copy of {when}?

CRM Desktop closes, puts that copy in place of your data and keeps your current data aside in the backups folder. Linked to a server, changes not yet sent to it are kept and sent at the next sync. Working on this computer only, what you entered after the copy was made is not in it: only in the data kept aside. Then start the program again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="-122"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="-15"/>
        <source>Backed up to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+13"/>
        <source>Restore a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checking the copy…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CalendarView</name>
    <message>
        <location filename="../../crm_desktop/views/calendar_view.py" line="+222"/>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Whose calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ overdue    ✓ done    blue: task    green: planned next step of a customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Calendar of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+40"/>
        <source>My whole team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Previous day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+46"/>
        <source>{first} – {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>MMMM yyyy</source>
        <comment>month title</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+92"/>
        <source>All day, earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+34"/>
        <source>{day} (today)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>+%n more</source>
        <translation>
            <numerusform>+%n more item</numerusform>
            <numerusform>+%n more items</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Follow up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{person} · {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Customer: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <location filename="../../crm_desktop/views/charts.py" line="+94"/>
        <source>Save as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this chart as a picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>yuan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>10,000 yuan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>100 million yuan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>¥ thousand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>¥ million</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>¥ billion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+159"/>
        <source>Save the chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="+458"/>
        <source>Check the rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cells with a problem are marked; point at one to read why. Correct a cell by typing in it, or choose what happens to those rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Skip the rows with problems and import the rest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop: I will correct the file first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save the rows with problems…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Update them with the file&apos;s values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only fill in their empty fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip those rows: the records stay as they are</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+47"/>
        <source>Checking %n row(s) and looking for duplicates…</source>
        <translation>
            <numerusform>Checking %n row and looking for duplicates…</numerusform>
            <numerusform>Checking %n rows and looking for duplicates…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+91"/>
        <source>%n of the rows have problems.</source>
        <translation>
            <numerusform>%n of the rows has problems.</numerusform>
            <numerusform>%n of the rows have problems.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>They are shown first, then the others up to %1 rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>All %n row(s) can be imported.</source>
        <translation>
            <numerusform>The %n row can be imported.</numerusform>
            <numerusform>All %n rows can be imported.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n company(ies) not among your customers will be added as customers: %1. If one is a customer you have, written otherwise, correct its name here.</source>
        <translation>
            <numerusform>%n company not among your customers will be added as a customer: %1. If it is a customer you have, written otherwise, correct its name here.</numerusform>
            <numerusform>%n companies not among your customers will be added as customers: %1. If one is a customer you have, written otherwise, correct its name here.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n row(s) carry the id of a record you already have (as an export does) and would change it. Choose what happens to those records before going on:</source>
        <translation>
            <numerusform>%n row carries the id of a record you already have (as an export does) and would change it. Choose what happens to that record before going on:</numerusform>
            <numerusform>%n rows carry the ids of records you already have (as an export does) and would change them. Choose what happens to those records before going on:</numerusform>
        </translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Save the rows with problems to have the list beside you: each row&apos;s line and what to correct in it. Then close this window, correct the file and import it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Save the rows with problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rows to correct.csv</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Choices</name>
    <message>
        <location filename="../../crm_desktop/models/choices.py" line="+108"/>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sales rep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clerk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/duplicates/model.py" line="+43"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Tax number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>ID card number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Policy number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Licence plate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Member number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/choices.py" line="-8"/>
        <source>A (top {percent}%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B (next {percent}%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negotiation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Won</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terminated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undecided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not renewing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bank transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WeChat Pay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alipay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cheque</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <location filename="../../crm_desktop/queries/tables.py" line="+246"/>
        <location line="+120"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Short name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+51"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+51"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-50"/>
        <source>Industry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+72"/>
        <location line="+69"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-132"/>
        <source>Last follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Next follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Returns to pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Customer grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Entered by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quiet since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+21"/>
        <location line="+34"/>
        <location line="+35"/>
        <location line="+39"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-125"/>
        <source>Job title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+33"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+71"/>
        <location line="+37"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-106"/>
        <source>Expected close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Probability %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Assigned to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>List price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Running past its end, not renewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Paid on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-229"/>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ColumnsPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-368"/>
        <source>Which column is which</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Guessed from the column names; change any that is wrong. Columns set to “(not imported)” are left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Column in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>First values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Imported as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remember these choices for files with the same columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The columns are this program&apos;s own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>These choices were made for a file like this before.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guessed from the column names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(no name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(not imported)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <location filename="../../crm_desktop/cli.py" line="+59"/>
        <source>There is no CRM data in {directory}; check the folder given with --profile, or open the program (or run `crm-desktop demo` or `import`) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>There is no profile in {directory}; check the folder given with --profile, or run `crm-desktop connect` first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%(prog)s: error: %(message)s
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the following arguments are required: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unrecognized arguments: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid %(type)s value: %(value)r</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected one argument</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected at most one argument</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected at least one argument</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected %s argument</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected %s arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not allowed with argument %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one of the arguments %s is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ignored explicit argument %r</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unexpected option string: %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>usage: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Offline-first CRM for field sales teams.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>profile folder (default: the user&apos;s own)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>profile folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>positional arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>show this help and exit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>show the program&apos;s version and exit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Stopped; nothing was left half-done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="-55"/>
        <source>make a checked copy of this profile&apos;s data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the profile&apos;s data (safe while the window is open), check the copy, and say where it is: a new file in the profile&apos;s backups folder, or FILE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>write the copy here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>list the profile&apos;s backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>check the data file, and recover it if it is damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>put a backup copy back in place of this profile&apos;s data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the profile&apos;s data with a backup copy. The current data is kept aside in the backups folder first. Linked to a server, changes not yet sent to it are kept and sent at the next sync, which downloads everything again; working on this computer only, what was entered after the copy was made is only in the data kept aside. Close the window first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the backup copy to restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>do not ask for confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/conflicts.py" line="+22"/>
        <source>list sync conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List the values that lost to another change at the server (or that the server refused), with the value kept and the one that lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../crm_desktop/commands/renewals.py" line="+47"/>
        <source>a JSON list of objects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/connect.py" line="+22"/>
        <source>link this profile to the shared server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the server and the user&apos;s password, then remember both: the address in the profile, the password in the system keyring (never in a file). The password is read from standard input, or asked for; one inside the address is moved to the keyring. Another computer is reached only over TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>HOST, HOST:PORT, [IPv6]:PORT, each with an optional /DB (database crm when none is named), or a postgresql://HOST:PORT/DB URL or libpq key=value string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>your user name on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the CA certificate that signed the server&apos;s: verify the server with it (sslmode=verify-full)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>connect without encryption (only on a network you trust)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/demo.py" line="+36"/>
        <source>the number of customers must be at least 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>fill the profile with sample customers (local only, never synced)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add realistic sample customers, contacts, deals, tasks and follow-ups, and for about a fifth of the customers contracts with their payment plans and payments. Demo data writes no outbox entries, so it never reaches a server; a profile connected to a server is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>customers to add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the same seed makes the same data (default: 1, or for a profile holding its demo already the next seed whose demo it does not hold)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="+26"/>
        <source>write customers, contacts, products, opportunities, tasks, follow-ups, contracts, their instalments or payments to a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export live records as UTF-8 CSV (with a BOM, for Excel) or .xlsx. The first column is the id, so the file can be edited and imported with --update.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>default: from --out&apos;s extension, else csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>default: standard output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/import_.py" line="+51"/>
        <source>add or update records from a CSV, .xlsx or vCard (.vcf) file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rows without an id are added. With --update, rows with an id change only the columns the file has. With --keep-ids, a row whose id no record here has adds its record with that id. Any bad row stops the import; nothing is half-imported. Columns may have the export&apos;s names or the words people use (客户名称, 手机, 身份证...); a business card file is imported as contacts, each card&apos;s company as their customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a .csv or tab-separated .txt file, an .xlsx workbook or a .vcf file of cards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>let rows with an id change existing records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>add rows whose id no record here has under that id (records from another profile: import customers first, then what links to them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the text file&apos;s encoding, when the one detected is wrong (for example {names}; gbk reads as gb18030)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the workbook&apos;s sheet to read (default: the first with a list on it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>a column of the file not to import, as its header names it (repeat for each; a column of row numbers such as 序号 is left out by itself)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>leave out the rows that look like records already here or like earlier rows of the file, as the window does unless told otherwise (--dry-run lists them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>change nothing: say what would be added, updated and refused, and which rows look like records already here (and why)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>--sheet names a sheet of an .xlsx workbook; {file} has no sheets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/ownership.py" line="+27"/>
        <source>make a customer of the public pool your own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give one of your customers back to the public pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give a customer to a member of your team (managers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make a customer of the public pool your own. The server decides at once, by the rules its administrator set; a refusal says which rule and until when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give one of your customers back to the public pool. The server decides at once, by the rules its administrator set; a refusal says which rule and until when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give a customer to a member of your team (managers). The server decides at once, by the rules its administrator set; a refusal says which rule and until when.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>the customer&apos;s id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>login of the receiver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>why, for the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/renewals.py" line="-22"/>
        <source>list the contracts ending in a period, with their renewal status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>List the running or ended contracts (not drafts nor terminated ones) whose end date falls from --from to --to inclusive, soonest first. Without dates: today and the next {days} days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="+215"/>
        <source>first day, YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last day, YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/renewals.py" line="+11"/>
        <source>only this kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>only this renewal status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="-174"/>
        <source>write a report as a PDF: a customer, a quote, the pipeline, activity, renewals, receivables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write a report as a PDF file, in Chinese or English, with the names and figures the window shows. Periods: the pipeline forecasts this month and the next five, activity covers the last seven days, renewals today and the next thirty days, unless --from and --to say otherwise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>one of {kinds}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the customer (for `customer`)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the opportunity (for `quote`)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>only this person&apos;s records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the report&apos;s language (default: the one chosen in the window, else the system&apos;s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/server.py" line="+89"/>
        <source>libpq URL or connection string of the admin role, e.g. &apos;postgresql://crm_admin@db.example.com/crm?sslmode=verify-full&amp;sslrootcert=ca.crt&apos; (default: the PG* environment variables)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>set up the shared PostgreSQL server and add its users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create or upgrade the CRM schema on the shared PostgreSQL server, and add users (each one a PostgreSQL login role).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>create or upgrade the schema (safe to run again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create the CRM tables, change log and access rules, or upgrade them. Running it again on an up-to-date server changes nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>add a user (a PostgreSQL login role)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a login role for a CRM user and give it its CRM role. The password is read from standard input when it is not a terminal, otherwise asked twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+79"/>
        <source>login name (lower case)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+35"/>
        <source>one of {roles}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-30"/>
        <source>login of the user&apos;s manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>display name (default: the login name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the office he works in (default: the head office)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>change a user&apos;s display name, role or manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change an existing user&apos;s display name, CRM role or manager; what is not given stays as it is. What he sees follows his new role and team from his devices&apos; next sync. A user keeps his role while it is needed: customers he owns go to someone else first (server handover), his team to another manager, and a clerk assignment joining him is ended first (server unassign-clerk). Administrators only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+103"/>
        <location line="+254"/>
        <source>login name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-355"/>
        <source>his new display name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>login of his new manager (a manager or an admin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>he reports to nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>give a user a new password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give a CRM user a new password, for one he forgot or one others may know. The password is read from standard input when it is not a terminal, otherwise asked twice. His devices ask for it at their next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the user&apos;s login name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>add a read-only login for a finance or ERP system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a login role that reads the views erp_customers, erp_contracts and erp_payments and nothing else (it is not a CRM user). The password is read from standard input when it is not a terminal, otherwise asked twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>make the login pgbouncer looks users up with (run as the superuser)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make the login pgbouncer&apos;s auth_user logs in as, and the function its auth_query calls, in the database of --dsn: pgbouncer then checks each user&apos;s own password without being the superuser. Connect as the superuser, straight to PostgreSQL; run it again for each database pgbouncer serves. The password is read from standard input when it is not a terminal, otherwise asked twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>default: {login}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>delete old entries of the change log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete change-log entries older than the given number of days. A device that has not synced since then downloads everything again at its next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>1 to {most} (default: 90)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>disable a user: he can no longer log in; his records stay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable a user: he can no longer log in; his records stay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>enable a deactivated user again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable a deactivated user again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>grade customers by value and return those nobody followed up to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Grade every customer A, B or C by what it paid in the last 12 months (a grade fixed by a manager stays), then return to the public pool every customer whose time without a follow-up has run out, by the rules (`server rules`) and its new grade. Devices return their own customers at each sync; run this as a daily scheduled job, as an administrator. --dry-run changes nothing and says what it would do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>say what would change, change nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>let a clerk enter records for a rep until a date (or extend it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Let a clerk see and enter the rep&apos;s records, on the rep&apos;s behalf, until the end of the given day: today at the earliest, at most a year ahead. Running it again changes the date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+21"/>
        <source>the clerk&apos;s login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+22"/>
        <source>the rep&apos;s login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-16"/>
        <source>the last day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>end a clerk&apos;s grace period for a rep now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End a clerk&apos;s access to a rep&apos;s records now; his devices lose them at their next sync, and a change he makes after this is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>give everything a leaving user owns to another user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move a user&apos;s customers, open opportunities and open tasks to another user in one transaction, recorded in each customer&apos;s history as a handover. --dry-run only counts them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>who leaves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>who takes over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>count, change nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>show or change the public pool&apos;s rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the rules for returning customers to the public pool and for claiming them, or change one (administrators only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>change one rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change one rule. A per-grade override (pool_return_days_A, _B, _C) is cleared with the value &apos;none&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a whole number (or &apos;none&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>show or change the company letterhead that quotes print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the company letterhead (name, address, phone, email, website, tax number and logo) that quotes printed as PDF carry, or change it (administrators only). Every device gets it at its next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>change the letterhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the fields given; the others stay as they are. An empty value clears a field (--name &quot;&quot; leaves quotes without a letterhead).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>a PNG or JPEG image of at most 512 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>print quotes without a logo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>add an office (not live until switched on)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add an office, at the top of the tree or under another office. Its users can log in but see nothing until it is live (--live, or later `server office NAME --live`), so the company can start one office at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+19"/>
        <source>the office&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-17"/>
        <source>the office it belongs under</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>live at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>switch an office live or not, or move it under another office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Switch an office live (its users start working at their next sync) or not yet live (they see nothing; their devices keep what they have), or move it under another office.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>not yet live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>move it under this office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>show the offices: the tree, which are live, how many users each has</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>List the offices as a tree, each with whether it is live and how many active users work there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>put a user in an office (or back in the head office)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put an existing user in an office, or with --no-office back in the head office. What he sees follows at his next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the office he works in from now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the head office</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Note: “{login}” works at {office}, which is not live yet: he can neither sync nor see what he receives until it is (`server office &quot;{office}&quot; --live`).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/server_maintenance.py" line="+32"/>
        <source>Roles (users&apos; logins and passwords) are not in the file: pg_dump never carries them. Keep them apart with `pg_dumpall --roles-only` (run by the database administrator), or add the users again with `server add-user` after restoring onto another server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{what} {roles}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>back the CRM database up into one file (pg_dump)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the whole CRM database into one file in pg_dump&apos;s custom format, as the admin role that owns it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the file (or a folder for it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>put a backup in place of the CRM database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restore a file made by `server backup` into an empty database, or in place of the CRM database (backed up first; asked at a terminal, --yes otherwise), in one transaction. Database privileges and the group roles are applied again and the schema upgraded to this program&apos;s. Every device downloads everything again at its next sync, after sending the changes it still holds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a file made by server backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>replace a database holding a CRM without asking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>where the copy of the replaced database goes (default: FILE&apos;s folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>schema version, users, devices and their last sync, change log, rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the server&apos;s schema version, its users by role, each device and when it last synced, the change log&apos;s size and the rules in force.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>back the server up, then upgrade its schema to this program&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back the CRM database up (as `server backup`), then upgrade its schema to this version of the program, in one transaction. A server already up to date is left alone. Devices of an older version are told to update; what they hold is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>where the backup goes (default: the current folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/sync_.py" line="+20"/>
        <source>send local changes to the server and bring everyone else&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Push the changes made on this device, then pull what changed on the server. Exits 0, or 1 with one sentence saying what went wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="+40"/>
        <source>list what is due today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List your open tasks overdue or due today, customers whose next step is due, and customers returning to the public pool within the warning days, soonest first (each part&apos;s first 100, with how many there are).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a JSON object, one list per part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/values.py" line="+19"/>
        <source>“{text}” is not a whole number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <location filename="../../crm_desktop/views/conflict_text.py" line="+29"/>
        <source>The server did not accept your change to this {what}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The {what} was deleted meanwhile; your {field} “{lost}” was not saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{kind} “{name}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a record not on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You deleted the {what} after {who} had changed it, or something of it this computer had not received yet; restore it to bring back their work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You deleted the {what} after the server had changed it; restore it to bring back that change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field} of this {what} was changed by someone else first: “{kept}” was kept, your “{lost}” was not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The {what} points at a record you cannot see ({target}); that link was left out on this computer (the server keeps it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The {what} belongs to a record you cannot see ({target}); it was left off this computer (the server keeps it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server did not accept your change to this {what}: your time entering records for {rep} ended on {until}. Ask your administrator to extend it, or give the change to {rep}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server did not accept your change to this {what}: it was part of a merge of a record someone had already merged into another one, so none of that merge was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not saved: {values}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{sentence}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its customer was deleted meanwhile (restore the customer to enter it again)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>someone else claimed this customer from the pool first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>you may not see this record on the server (it was deleted there, or is not yours any more)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>you may not change this record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>this customer is in the public pool: claim it first (Claim, on its page), then change it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a clerk may not give a customer to someone else; ask a manager to assign it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>your manager keeps this customer with you (locked): only a manager or an administrator may release it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>only a manager or an administrator may lock a customer with its owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>only a manager or an administrator may fix a customer&apos;s grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>grades are computed on the server; only an administrator sets them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>someone else claimed this customer from the pool before this follow-up reached the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a note can only be about a customer you see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a note that was read can no longer be changed, only deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a customer can only be merged into one you may change, and that is not deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a customer can only be merged into one you see, and that is not deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a contact can only be merged into another of the same customer, not deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server&apos;s access rules do not let you save it so (a record for a customer that is not yours, say, or someone you do not enter records for)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/conflicts_view.py" line="+67"/>
        <location line="+116"/>
        <location line="+28"/>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-136"/>
        <source>When the same thing was changed in two places, the change that reached the server first was kept. Nothing was thrown away: your values are listed here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep all as they are…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Use my value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restore the record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy my values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep as it is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Your values are on the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The values you typed were not saved anywhere, and will no longer be listed here. Stop listing them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>Settle %n conflict(s) by keeping the records as they are now? Your values there will no longer be offered. Refused changes whose values you typed, and deleted records you can restore, stay listed.</source>
        <translation>
            <numerusform>Settle %n conflict by keeping the record as it is now? Your value there will no longer be offered. Refused changes whose values you typed, and deleted records you can restore, stay listed.</numerusform>
            <numerusform>Settle %n conflicts by keeping the records as they are now? Your values there will no longer be offered. Refused changes whose values you typed, and deleted records you can restore, stay listed.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/conflicts.py" line="+19"/>
        <location filename="../../crm_desktop/views/conflicts_view.py" line="-77"/>
        <source>No conflicts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/connect.py" line="+12"/>
        <source>Password: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Connected as {user}. {waiting}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connected as {user}. Run `crm-desktop sync` to bring the data.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection is not encrypted: use it only on a network you trust.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No system keyring here: the password was not saved. Set PGPASSWORD or put it in ~/.pgpass (libpq&apos;s own password file) for later syncs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../../crm_desktop/views/connect_dialog.py" line="+207"/>
        <source>Connect to the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-88"/>
        <source>The server&apos;s name or address, with its port and database if they are not the usual ones: crm.example.com, crm.example.com:5433/crm, [::1]:5432. Without a database, crm is used. A postgresql:// address works too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+20"/>
        <source>Connect without encryption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Only on a network you trust: the password and the data travel in clear.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+39"/>
        <source>CA certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Fill in the server address and your user name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+74"/>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="+377"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContractPage</name>
    <message>
        <location filename="../../crm_desktop/views/contract_page.py" line="+64"/>
        <source>Contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Edit contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add instalment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record a payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Delete selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Payments received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payment plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>This contract was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Contract %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contract %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>renewal: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>renews %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>renewed by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Plan: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount (no plan): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outstanding: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(since %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A draft: nothing of it is owed or overdue until its status is Active (signed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of what is paid is dated after today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The plan&apos;s instalments add up to %1, not the contract&apos;s amount %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerPage</name>
    <message>
        <location filename="../../crm_desktop/views/customer_page.py" line="+100"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Locked with its owner: never returns to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log a follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Record a payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send a note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Fix grade…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-11"/>
        <source>The customer&apos;s profile to print before a visit: details, contacts, open opportunities, the last follow-ups and contracts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a contact, opportunity, task or contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Follow-up timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Ownership history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opportunities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+3"/>
        <source>This customer was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This customer is in the public pool: claim it first, then change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, fixed by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>public pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Grade: %1 · Owner: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>entered by %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Paid in the last 12 months: %1 · Outstanding: %2 · Overdue: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source> · Paid for no contract: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Returns to the public pool on %1 unless followed up before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No ownership history on this computer yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Entered into the public pool by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entered by %1 for %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entered by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Claimed from the public pool by %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Moved to the public pool from %2 by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Released to the public pool by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Returned to the public pool from %2: not followed up in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Handed over from %2 to %3 by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Grade changed by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Graded by value (what it paid in the last 12 months)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Another customer merged into this one by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Given back to %3 for a follow-up made in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Given by %1 to %3 from the public pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Given by %1 to %3 (from %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>logged by %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>logged by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+58"/>
        <source>a follow-up of {when} was logged before the customer returned to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>handed over from {leaver} to {receiver}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="extra_sources.py" line="-28"/>
        <source>No follow-ups yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerPicker</name>
    <message>
        <location filename="../../crm_desktop/views/customer_picker.py" line="+43"/>
        <source>Type a name, phone or number, then choose the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+80"/>
        <source>entered %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No customer matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../../crm_desktop/views/dashboard_view.py" line="+91"/>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This quarter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From … to …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Whose records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+47"/>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Any grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+340"/>
        <source>No grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-337"/>
        <source>Industry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+185"/>
        <source>Any industry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pipeline as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The open pipeline and the forecast for the period, as a PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Period:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Pipeline by stage (open opportunities)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pipeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forecast by month of expected close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Forecast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Won and lost per month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Won and lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grade mix (customers; share of a year&apos;s payments)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activity per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity per person in the period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Customers without a follow-up, by owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Without a follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Returning to the public pool soon, by owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returning to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Contracts ending per month, renewed or not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts ending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Money overdue by owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Money overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+89"/>
        <source>pipeline.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>My team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>{start} to {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+23"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+23"/>
        <source>Weighted by probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="-12"/>
        <source>%n open opportunities: {amount}, weighted {weighted}.</source>
        <translation>
            <numerusform>%n open opportunity: {amount}, weighted {weighted}.</numerusform>
            <numerusform>%n open opportunities: {amount}, weighted {weighted}.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Weighted forecast for the period: {weighted}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Won</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason} ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Won {won}, lost {lost}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Main loss reasons: {reasons}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{grade}: {count}, {share}% of value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A year&apos;s payments: {value}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Public pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Others</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>30–59 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>60–89 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>90 days or more</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n customer(s) without a follow-up for 30 days or more.</source>
        <translation>
            <numerusform>%n customer without a follow-up for 30 days or more.</numerusform>
            <numerusform>%n customers without a follow-up for 30 days or more.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n customer(s) return to the pool within {days} days unless followed up.</source>
        <translation>
            <numerusform>%n customer returns to the pool within {days} days unless followed up.</numerusform>
            <numerusform>%n customers return to the pool within {days} days unless followed up.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contracts</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n contract(s) worth {amount} end in the period.</source>
        <translation>
            <numerusform>%n contract worth {amount} ends in the period.</numerusform>
            <numerusform>%n contracts worth {amount} end in the period.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>{amount} overdue from %n customer(s).</source>
        <translation>
            <numerusform>{amount} overdue from %n customer.</numerusform>
            <numerusform>{amount} overdue from %n customers.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DateEdit</name>
    <message>
        <location filename="../../crm_desktop/views/date_edit.py" line="+89"/>
        <source>No date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a date year first, like 2026-01-05 or 2026年1月5日</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a date year first, with a time if you like: 2026-01-05 09:30</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>Pick a date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next week</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemoCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/demo.py" line="+12"/>
        <source>The demo makes at most 1,000,000 customers at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Made with --seed {seed}: this profile holds the demo data of the seeds before it already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>This profile holds the demo data of --seed {seed} already; give another --seed, or leave it out for the next one it does not hold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Added demo data: {customers} customers, {contacts} contacts, {opportunities} opportunities, {tasks} tasks, {followups} followups, {contracts} contracts, {instalments} instalments, {payments} payments, {products} products.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="+608"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the skipped rows…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+60"/>
        <source>Undo this import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why it was skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Save the skipped rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>skipped rows.csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Delete the records this import added and put back what it changed? Edits made since to those records are kept.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <location filename="../../crm_desktop/duplicates/model.py" line="-17"/>
        <source>Same phone {phone}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same email {email}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same identifier: {kind} {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name in {city}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similar name ({score}%) in {city}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similar name ({score}%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name and address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name at the same customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+52"/>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicatesModel</name>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/duplicates_view.py" line="+238"/>
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-274"/>
        <source>Possible duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>These rows look like records you already have, or like an earlier row of the file. Select rows and choose what happens to them (with none selected, to all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Looks like</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicatesView</name>
    <message>
        <location filename="../../crm_desktop/views/duplicates_view.py" line="-166"/>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+222"/>
        <location line="+35"/>
        <source>Look among</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Find duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Look through all records for the same phone, email or ID number, or a similar name in the same city</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Looking for duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Merge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Merge a group&apos;s records into one: the whole group, or the records you selected in it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Likely duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+72"/>
        <source>%n group(s) of likely duplicates among customers just received</source>
        <translation>
            <numerusform>%n group of likely duplicates among customers just received</numerusform>
            <numerusform>%n groups of likely duplicates among customers just received</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>None of the customers just received looks like a duplicate any more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+24"/>
        <source>Stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+31"/>
        <source>%n group(s) of likely duplicates</source>
        <translation>
            <numerusform>%n group of likely duplicates</numerusform>
            <numerusform>%n groups of likely duplicates</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No likely duplicates found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Looking for duplicates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No two records share a phone, an email or an ID number, and no company names are alike in the same city.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Find duplicates looks through all records for the same phone number in any spelling, the same email or ID number, or a similar company name in the same city.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Entities</name>
    <message>
        <location filename="../../crm_desktop/models/fields.py" line="+284"/>
        <source>user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>opportunity line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>work log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>instalment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>payment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="+18"/>
        <source>An Excel export needs a file: add --out FILE.xlsx.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Could not write {path}: the pipe was closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>standard output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Exported {count} {entity} records to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <location filename="../../crm_desktop/views/field_editors.py" line="+160"/>
        <location line="+1"/>
        <source>Clear the date</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../../crm_desktop/models/fields.py" line="-221"/>
        <source>Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+42"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+48"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Short name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+21"/>
        <location line="+77"/>
        <location line="+43"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-140"/>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Industry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+28"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Other phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+28"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+50"/>
        <location line="+103"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-152"/>
        <source>Next follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+152"/>
        <location line="+28"/>
        <source>Finance system key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-179"/>
        <location line="+24"/>
        <location line="+25"/>
        <location line="+30"/>
        <location line="+73"/>
        <location line="+28"/>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Grade fixed by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why the grade is fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <location line="+18"/>
        <location line="+40"/>
        <location line="+7"/>
        <location line="+43"/>
        <location line="+36"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-147"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Job title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>WeChat / messaging ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+37"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+47"/>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+97"/>
        <location line="+22"/>
        <location line="+9"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Expected close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Probability %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Won/lost reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+22"/>
        <source>Opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Discount %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remind me at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was said</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was promised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next step date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+8"/>
        <source>Author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What I did</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tomorrow&apos;s plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Work log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Contract number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Renewal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Renewal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renews contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+7"/>
        <source>Contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Due on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remarks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paid on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-665"/>
        <source>Choose the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An Excel workbook (.xlsx), a CSV or text file from another program, or business cards (.vcf). Nothing is written until the last step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The file to import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The rows are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Import a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Reading the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 (detected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>%n row(s) under a header of %1 column(s).</source>
        <translation>
            <numerusform>%n row under a header of %1 columns.</numerusform>
            <numerusform>%n rows under a header of %1 columns.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirstRunStartPage</name>
    <message>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="+71"/>
        <source>What do you want to start with?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Press Finish to open the program.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An empty CRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a file I have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A spreadsheet, a CSV file from another program, or business cards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demo data to try things out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adding demo customers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Not with a company server: demo customers must never reach it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not offered: you already have customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>About {count} made-up customers, only on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWelcomePage</name>
    <message>
        <location line="-278"/>
        <source>Welcome to CRM Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Three questions, and you can start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your name comes from your company&apos;s server; your administrator sets it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your full name, as your colleagues know you. It is shown on the customers, tasks and notes you add.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Type your name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location line="+296"/>
        <source>Welcome to CRM Desktop</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWorkPage</name>
    <message>
        <location line="-225"/>
        <source>How will you work?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You can connect to a server later too, from the Server menu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work on this computer only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your customers stay on this computer. Nothing else to set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect to our company server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your administrator gives you the server&apos;s address, your user name and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Security options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+58"/>
        <source>The server answered: your user name and password are right.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GradeDialog</name>
    <message>
        <location filename="../../crm_desktop/views/grade_dialog.py" line="+43"/>
        <source>Fix the grade of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grades are computed from what customers paid in the last 12 months. A grade fixed here stays as it is until you let it be computed again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Why, for whoever reads it later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fix this grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Compute it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Say why the grade is fixed; a manager reading it later will ask.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GradeFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="+50"/>
        <source>Grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No grade</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../crm_desktop/views/handover_dialog.py" line="+53"/>
        <source>Hand over a leaving rep&apos;s customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Everything the leaving user owns moves to the one taking over: his customers, his open opportunities, his open tasks and the contracts still to see to (running, or ended with the renewal not decided). Closed deals, done tasks and settled contracts stay as they were.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Leaving:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taking over:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading your team…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Count what would move; nothing moves yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hand over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 (deactivated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your device knows nobody whose customers you may hand over; sync first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose who leaves and who takes over, then Preview.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1, %2, %3 and %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n customer</numerusform>
            <numerusform>%n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n open opportunity(ies)</source>
        <translation>
            <numerusform>%n open opportunity</numerusform>
            <numerusform>%n open opportunities</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n open task(s)</source>
        <translation>
            <numerusform>%n open task</numerusform>
            <numerusform>%n open tasks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n running contract(s)</source>
        <translation>
            <numerusform>%n running contract</numerusform>
            <numerusform>%n running contracts</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 works at %2, which is not live yet: he can neither sync nor see what he receives until an administrator switches it live.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+76"/>
        <source>%1 %2</source>
        <comment>two sentences in a row</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-64"/>
        <source>Asking the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has nothing you may hand over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 would move from %2 to %3. Hand over to move it now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Handing over…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Handed over %1 from %2 to %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdentifierTable</name>
    <message>
        <location filename="../../crm_desktop/views/record_form.py" line="+147"/>
        <source>Identifiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-218"/>
        <source>Spreadsheets, CSV and business cards (*.xlsx *.csv *.txt *.vcf *.vcard);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+236"/>
        <source>UTF-8 with BOM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Chinese, Simplified (GBK/GB18030)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chinese, Traditional (Big5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+403"/>
        <source>Skip this row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Update the record: fill its empty fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Update the record: overwrite it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add it anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+144"/>
        <source>Skip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill empty fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportsDialog</name>
    <message>
        <location filename="../../crm_desktop/views/imports_dialog.py" line="+49"/>
        <source>Recent imports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The imports made on this computer. Undo one to delete the records it added and put back what it changed; edits made since to those records are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+65"/>
        <source>Undo this import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-18"/>
        <source>No import has been made on this computer yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Delete the records the import of “%1” added and put back what it changed? Edits made since to those records are kept.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Letterhead</name>
    <message>
        <location filename="../../crm_desktop/sync/server/admin.py" line="+1316"/>
        <source>Company name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Website</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tax number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LetterheadDialog</name>
    <message>
        <location filename="../../crm_desktop/views/letterhead_dialog.py" line="+62"/>
        <source>Company letterhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quotes printed as PDF carry this header and logo. It is kept on the server and is the same on every computer, which gets it at its next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Without a name, quotes print no header</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose logo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A PNG or JPEG image of at most 512 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove logo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Logo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reading the letterhead from the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Last changed by %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose the company logo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images (*.png *.jpg *.jpeg);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reading the logo…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The logo “%1” is damaged and cannot be shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No logo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crm_desktop/views/record_tabs.py" line="+52"/>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opportunities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+253"/>
        <source>Nothing matches this search or filter. Clear it to see all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The public pool is empty: no customer is waiting for someone to claim it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The customers of the public pool have nothing here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No customers yet. Add one with New customer (Ctrl+N), bring in a list with {import_menu}, or connect to your company&apos;s server (Server menu) to receive yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No products yet. A manager or an administrator adds them with New product (Ctrl+N); everyone then quotes from the same list and prices.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No contracts yet. Open a customer and choose Add contract, or mark an opportunity won and create its contract from there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No payments yet. Open a customer or a contract and choose Record a payment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing here yet. Open a customer to add its contacts, opportunities and tasks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Showing: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/search_box.py" line="+22"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find a customer by name, phone, email or any ID number…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="+554"/>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="+222"/>
        <source>New customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-146"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/deleting.py" line="+37"/>
        <source>Money received on these payments: {money}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../crm_desktop/views/record_actions.py" line="+2"/>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Deleted with them:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{kind}: {count}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>({money} received)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <location filename="../../crm_desktop/views/record_actions.py" line="+4"/>
        <location line="+318"/>
        <source>Undo delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="-309"/>
        <source>Assign to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give the selected customers to a member of your team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Merge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Merge the two selected records of one customer or person into one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Nothing to add on this page; to add a record, choose its list on the left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+51"/>
        <source>Only managers and administrators change the product list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-26"/>
        <source>New product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The note was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Select the customers to assign first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The customers were assigned.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Select two customers or more, or two contacts or more, to merge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Undo merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/search_box.py" line="+11"/>
        <source>Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="-376"/>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Renewals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receivables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find duplicates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+530"/>
        <source>Work log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-529"/>
        <source>Team activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+86"/>
        <source>{page} — CRM Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CRM Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="-125"/>
        <source>Log a call: first choose a line about a customer (in Today or a list), or open the customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="+220"/>
        <source>Your open tasks whose reminder time has come</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your open tasks due by the end of today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log a call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A follow-up for the customer of the selected line, now (Ctrl+L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add customers, contacts or other records from a spreadsheet, CSV or business cards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recent imports…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The imports made here, and Undo for any of them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send a note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Backups…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About CRM Desktop…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>First-run setup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Your work log has text you have not saved. Close and lose it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An import is running. Stop it and close? Nothing of it will be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/language_menu.py" line="+20"/>
        <location line="+14"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Same as the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="-104"/>
        <source>New task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="-47"/>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+9"/>
        <source>Delete %n record(s)? You can undo this right after.</source>
        <translation>
            <numerusform>Delete %n record? You can undo this right after.</numerusform>
            <numerusform>Delete %n records? You can undo this right after.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Deleted %n record(s).</source>
        <translation>
            <numerusform>Deleted %n record.</numerusform>
            <numerusform>Deleted %n records.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n of your customers return(s) to the pool within %1 days</source>
        <translation>
            <numerusform>%n of your customers returns to the pool within %1 days</numerusform>
            <numerusform>%n of your customers return to the pool within %1 days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n customer(s) just received may be duplicates</source>
        <oldsource>%n customer(s) just received may already be here</oldsource>
        <translation>
            <numerusform>%n customer just received may be a duplicate</numerusform>
            <numerusform>%n customers just received may be duplicates</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n record(s) merged into one.</source>
        <translation>
            <numerusform>%n record merged into one.</numerusform>
            <numerusform>%n records merged into one.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="+242"/>
        <source>Restored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/sync_status.py" line="+175"/>
        <source>Sync status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/server_menu.py" line="+54"/>
        <location line="+29"/>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Connect to a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-7"/>
        <source>S&amp;erver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Hand over a leaving rep&apos;s customers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pool rules…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Company letterhead…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/sync_status.py" line="-135"/>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Sending changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Preparing search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Receiving users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving ID numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving opportunities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving opportunity lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving work logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving comments on work logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving contracts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving payment plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving ownership history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{stage}: {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stage}: {done}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+254"/>
        <source>Working on this computer only (not connected to a server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>last synced %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="-4"/>
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n change waiting</numerusform>
            <numerusform>%n changes waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/sync_status.py" line="-33"/>
        <source>The connection to the server is not encrypted: use it only on a trusted network.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="-192"/>
        <location filename="../../crm_desktop/views/language_menu.py" line="+12"/>
        <source>The new language is used from the next start of the program.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../crm_desktop/views/merge_dialog.py" line="+105"/>
        <source>Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="-44"/>
        <source>Merge %n customer(s)</source>
        <translation>
            <numerusform>Merge %n customer</numerusform>
            <numerusform>Merge %n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Merge %n contact(s)</source>
        <translation>
            <numerusform>Merge %n contact</numerusform>
            <numerusform>Merge %n contacts</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose the record to keep and, where they differ, the value it keeps. Everything of the others (contacts, opportunities, tasks, follow-ups, contracts and payments) moves to the kept one, and the others are deleted. You can undo the merge right after.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the contact to keep and, where they differ, the value it keeps. The opportunities and follow-ups of the others move to the kept one, and the others are deleted. You can undo the merge right after.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+55"/>
        <source>One of the records was deleted meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The records hold the same values.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../crm_desktop/views/navigation.py" line="+18"/>
        <source>Go to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../crm_desktop/views/note_dialog.py" line="+45"/>
        <source>Send a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>What you want to tell him or her</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>A note is at most %1 characters; this one has %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverdueFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="+54"/>
        <source>Overdue only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tasks past due, customers whose next step is past, open deals past their expected close, contracts still running past their end. Money overdue: Receivables.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OwnerFilter</name>
    <message>
        <location filename="../../crm_desktop/views/line_pages.py" line="+47"/>
        <source>Whose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Everyone I see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Me</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Ownership</name>
    <message>
        <location filename="../../crm_desktop/sync/ownership.py" line="+37"/>
        <source>You have claimed as many customers as one may in 24 hours (rule claim_per_day); you may claim again from {when}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{who} already owns {count} customers, the most one may own (rule max_owned).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This customer left you recently; you may claim it back from {when} (rule reclaim_block_days).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{who}” is a clerk or an administrator: only a rep or a manager may own customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Claiming customers from the pool is switched off (rule claim_per_day).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This customer is not in the pool any more; someone may have claimed it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You can release only a customer you own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your manager keeps this customer with you (locked): only a manager or an administrator may release it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This customer has just gone back to the public pool (its ownership history says why). Claim it to make it yours again, if the rules let you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This customer has just gone back to the public pool (its ownership history says why): it has no owner to keep it with now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You may not give this customer to “{login}”: there is no such user in your team, or the customer is not yours to give.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You may not give these customers to “{login}”: there is no such user in your team, or one of them is not yours to give. None of them was given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only a manager or an administrator may keep a customer with its owner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This customer has no owner to keep it with, or is not one you may change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A handover needs two different users.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no user named “{login}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{login}” is deactivated and cannot receive customers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You may not hand “{leaver}”&apos;s customers to “{receiver}”: only an administrator, or the manager of both, may. Nothing was moved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server refused: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/sync/rules.py" line="+26"/>
        <source>Only an administrator may change the rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value} is out of range for {key}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{key} must have a value; only the per-grade overrides may be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no rule named “{key}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/sync/server/admin.py" line="+19"/>
        <source>Only an administrator may change the company letterhead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server does not keep a company letterhead yet; its schema must be upgraded first (server init).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{field} may be at most {limit} characters long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field} must be one line of text, without control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused the company letterhead as given; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The logo must be a PNG or JPEG image, and “{file}” is neither.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The logo “{file}” is {size} KiB; a logo may be at most {limit} KiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The logo file “{file}” cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The logo must be a PNG or JPEG image of at most {limit} KiB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/ownership.py" line="-35"/>
        <source>The customer is yours now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The customer is back in the public pool.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The customer now belongs to “{to}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{id}” is not a customer&apos;s id; copy it from the customer&apos;s page or an export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no customer with the id “{id}”; copy it from the customer&apos;s page or an export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Say why the customer goes back to the public pool: --reason TEXT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OwnershipButtons</name>
    <message>
        <location filename="../../crm_desktop/views/ownership_buttons.py" line="+44"/>
        <source>Claim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make this customer of the public pool yours (needs the server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Release to pool…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Assign to…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give this customer to a member of your team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Let this customer return to the public pool by the rules again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep with owner (lock)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This customer stays with its owner and never returns to the public pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Release to pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Why does this customer go back to the public pool?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Why does this customer go back to the public pool? A reason is needed: it is kept in the customer&apos;s history for whoever takes it next.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PaidInFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="+35"/>
        <source>Received in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last year</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PaymentsTotal</name>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/payments_total.py" line="+52"/>
        <source>%Ln payment(s), {amount} in all</source>
        <translation>
            <numerusform>%Ln payment, {amount} in all</numerusform>
            <numerusform>%Ln payments, {amount} in all</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(of which {amount} dated after today)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PdfExport</name>
    <message>
        <location filename="../../crm_desktop/views/pdf_export.py" line="+45"/>
        <location line="+16"/>
        <source>Export PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Export PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as a PDF to print or send; it opens when saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>PDF documents (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Person</name>
    <message>
        <location filename="../../crm_desktop/models/fields.py" line="-198"/>
        <location line="+38"/>
        <location filename="../../crm_desktop/queries/tables.py" line="+84"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Phones</name>
    <message>
        <location filename="../../crm_desktop/models/phones.py" line="+39"/>
        <source>{number} ext. {extension}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PoolDueFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="-80"/>
        <source>Returns to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Any return date</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Returns to the pool within %n day(s)</source>
        <translation>
            <numerusform>Returns to the pool within %n day</numerusform>
            <numerusform>Returns to the pool within %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuoteLines</name>
    <message>
        <location filename="../../crm_desktop/views/quote_lines.py" line="+63"/>
        <source>Line total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Add a product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quote as PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The quote as saved, with the company letterhead, to print or send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>quote.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Total: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReceivablesView</name>
    <message>
        <location filename="../../crm_desktop/views/receivables_view.py" line="+55"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+95"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-94"/>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outstanding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the customers shown to an Excel workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Customers with money overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nothing is overdue. Money falls overdue when an instalment&apos;s due date, or the start of a contract without a payment plan, passes before it is paid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Counts what this device holds, as of your last sync. Outstanding is what all the customer&apos;s signed contracts hold unpaid, due or not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+67"/>
        <source>%n customer(s): %1 overdue, %2 outstanding</source>
        <translation>
            <numerusform>%n customer with money overdue: %1 overdue, %2 outstanding in all</numerusform>
            <numerusform>%n customers with money overdue: %1 overdue, %2 outstanding in all</numerusform>
        </translation>
    </message>
    <message>
        <location line="+42"/>
        <source>receivables.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export the receivables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>receivables.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Receivables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordForm</name>
    <message>
        <location filename="../../crm_desktop/views/record_form.py" line="-89"/>
        <source>New customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New quote line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New instalment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record a payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Edit customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit opportunity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit quote line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit instalment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choose the customer from the list under this field, or empty the field for a task about no customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This customer was deleted or merged meanwhile: choose the customer again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+170"/>
        <source>Add a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ID numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save and new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+96"/>
        <source>{form} — {customer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Customer: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Close without saving? What you typed in this form will be lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close without saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>This record no longer exists; it may have been deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+160"/>
        <source>May already exist: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/money_form_parts.py" line="+29"/>
        <source>Quote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The sum of the quote lines below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+58"/>
        <source>This is %1 more than the contract still owes (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>It is dated %1, before the contract starts (%2): is the year right?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Opportunity won</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“%1” is won. Create its contract now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Create the contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReminderBanner</name>
    <message>
        <location filename="../../crm_desktop/views/reminders.py" line="+51"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Show Today</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message numerus="yes">
        <location line="+64"/>
        <source>%n thing(s) to do became due.</source>
        <translation>
            <numerusform>%n thing to do became due.</numerusform>
            <numerusform>%n things to do became due.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRM: Today</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RenewDialog</name>
    <message>
        <location filename="../../crm_desktop/views/renew_dialog.py" line="+60"/>
        <source>Renew a contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Renews %1 of %2, which ends %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+7"/>
        <source>New contract number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Renew</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RenewalsCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/renewals.py" line="+31"/>
        <source>No contract ends from {start} to {end}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>by {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+26"/>
        <source>%n contract(s) ending from {start} to {end}:</source>
        <translation>
            <numerusform>%n contract ending from {start} to {end}:</numerusform>
            <numerusform>%n contracts ending from {start} to {end}:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RenewalsView</name>
    <message>
        <location filename="../../crm_desktop/views/renewals_view.py" line="+78"/>
        <source>This month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next 60 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date range…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contract</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+166"/>
        <location line="+20"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-185"/>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+185"/>
        <source>Renewal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Renewal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+181"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-180"/>
        <source>Renewed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Double-click a cell to change it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+91"/>
        <location line="+32"/>
        <source>Ending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-26"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Renewal status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any renewal status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Renew…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make the contract that renews the chosen one, and link the two</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the contracts shown to an Excel workbook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The contracts ending in the period shown, for the owner shown, as a PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Contracts ending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+122"/>
        <source>No contract ends in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n contract(s), %1 in all</source>
        <translation>
            <numerusform>%n contract, %1 in all</numerusform>
            <numerusform>%n contracts, %1 in all</numerusform>
        </translation>
    </message>
    <message>
        <location line="+91"/>
        <source>renewals.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export the renewal list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>renewals.xlsx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Renewals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="-53"/>
        <source>--to {end} is before --from {start}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} “{typed}” is not a date; write it as YYYY-MM-DD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The {kind} report has no period: leave out --from and --to (they are for pipeline, activity and renewals).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Say which customer: --customer ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Say which opportunity to quote: --opportunity ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--customer is for the customer report only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--opportunity is for the quote only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--owner is not for the {kind} report: it is about one record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>--from {start}: the period from it runs past the last day there is (9999-12-31); give --to as well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--to {end}: the period up to it starts before the first day there is (0001-01-01); give --from as well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <source>No user has the login “{login}” on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="-10"/>
        <location filename="../../crm_desktop/commands/report.py" line="+33"/>
        <source>Could not write {path}: {why}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="+9"/>
        <source>--out {path} is a folder; name the PDF file to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="-25"/>
        <location filename="../../crm_desktop/commands/report.py" line="+6"/>
        <source>Could not write {path}: the folder {folder} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="+6"/>
        <source>Could not write {path}: permission denied.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../crm_desktop/reports/activity.py" line="+32"/>
        <source>Team activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From {start} to {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+52"/>
        <source>Customers added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-51"/>
        <location line="+60"/>
        <source>Tasks done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Opportunities changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <location filename="../../crm_desktop/reports/customer.py" line="+149"/>
        <location line="+86"/>
        <location filename="../../crm_desktop/reports/money.py" line="+56"/>
        <location line="+51"/>
        <location filename="../../crm_desktop/reports/pipeline.py" line="+113"/>
        <source>Total ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nobody to report on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+52"/>
        <source>The first {shown} of {total}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/customer.py" line="-180"/>
        <source>No customer with the id “{id}” is on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Customer profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ID numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Money as of {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Contracted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paid in the last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+177"/>
        <location filename="../../crm_desktop/reports/money.py" line="+14"/>
        <source>Outstanding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-176"/>
        <location line="+177"/>
        <location filename="../../crm_desktop/reports/money.py" line="-2"/>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-172"/>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No contacts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Public pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{grade}, fixed by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location filename="../../crm_desktop/reports/pipeline.py" line="-27"/>
        <source>Open opportunities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+35"/>
        <location filename="../../crm_desktop/reports/pipeline.py" line="+36"/>
        <source>No open opportunities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Last follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{clerk} for {rep}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Logged by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No follow-ups yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The latest {shown} of {total} follow-ups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Contracts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+42"/>
        <source>No contracts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/document.py" line="+590"/>
        <source>Printed on {date} by {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed on {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/money.py" line="-86"/>
        <source>Renewals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contracts ending from {start} to {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Renewed by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No contract ends in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Receivables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customers with money overdue on {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Overdue since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contracts overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No customer has money overdue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Outstanding: what the customers&apos; signed contracts hold beyond what was paid; overdue: what fell due before {date} and is not paid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/pipeline.py" line="-90"/>
        <source>Pipeline and forecast</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open opportunities on {date}; forecast from {start} to {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Opportunities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weighted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>By stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+19"/>
        <location filename="../../crm_desktop/reports/quote.py" line="+114"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Forecast by month of expected close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Prob.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Weighted: each amount times its probability, to the fen. Amounts in yuan (CNY).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/quote.py" line="-59"/>
        <source>No opportunity with the id “{id}” is on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Quotation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prepared by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Line total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No product lines: the amount quoted is {amount}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Amounts in yuan (CNY).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tax number: {number}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/chosen.py" line="+23"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <location filename="../../crm_desktop/reports/customer.py" line="-230"/>
        <source>{label}: {value}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Rules</name>
    <message>
        <location filename="../../crm_desktop/sync/server/admin.py" line="-503"/>
        <source>days without a follow-up before a customer returns to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the same for grade A customers (not set: pool_return_days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the same for grade B customers (not set: pool_return_days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the same for grade C customers (not set: pool_return_days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>days before the return that the owner is warned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pool customers a rep may claim per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>customers a rep may own at most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>days before a rep may claim back a customer that returned from him</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>percent of customers, by value in the last 12 months, graded A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>percent of customers graded B, next after the A ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a customer&apos;s value: 0 what it paid, 1 the deals won from it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <location filename="../../crm_desktop/views/rules_dialog.py" line="+113"/>
        <source>Public pool and grading rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>These rules are the same for everybody and kept on the server; the server applies them to every claim and every return to the pool, and grades customers A, B and C by them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What it means</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+66"/>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Reading the rules from the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-109"/>
        <source>Days before return to the pool, grade {grade}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Days before return to the pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Days of warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claims per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most customers per rep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Days before claiming back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grade A share (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grade B share (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer value for grading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The same for grade {grade} customers. Not set: “{rule}” applies to them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What a customer&apos;s value is when customers are graded: what it paid, or the deals won from it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Payments received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deals won</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Preview effect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ask the server what these values would do now: how many customers would go back to the public pool and how many would change grade. Nothing is saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+52"/>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Asking the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n customer(s) would go back to the public pool</source>
        <translation>
            <numerusform>%n customer would go back to the public pool</numerusform>
            <numerusform>%n customers would go back to the public pool</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n customer(s) would change grade</source>
        <translation>
            <numerusform>%n customer would change grade</numerusform>
            <numerusform>%n customers would change grade</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no grade</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>With these values, now: %1, and %2. Nothing is saved until you click Save.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="+15"/>
        <source>Importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel leaves everything as it was: the import is written whole or not at all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nothing was imported.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Runner</name>
    <message>
        <location filename="../../crm_desktop/views/runner.py" line="+183"/>
        <source>Something went wrong and was not saved; details are in the log file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/cli.py" line="-59"/>
        <source>Something went wrong and the log file could not be written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/runner.py" line="+3"/>
        <source>Something went wrong and was not saved; details are in the log file {path}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScopeFilter</name>
    <message>
        <location filename="../../crm_desktop/views/scope_filter.py" line="+18"/>
        <source>Whose records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All I may see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>My team</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerErrors</name>
    <message>
        <location filename="../../crm_desktop/views/server_errors.py" line="+21"/>
        <source>This computer is not connected to a server yet. To connect it, choose {menu_item} in the menu bar.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StoreError</name>
    <message>
        <location filename="../../crm_desktop/storage/errors.py" line="+32"/>
        <location line="+1"/>
        <source>you do not have permission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it is a folder, not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the name is too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The disk is full; free some space and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The data file is busy in another program; close it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The data file {path} is damaged; restore it from a backup in {backups}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The data file {path} cannot be written to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} could not be used: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The data in {path} was made by a newer version of this program; please upgrade it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/store.py" line="+38"/>
        <source>The data in {path} could not be updated for this version and was left as it was; a copy made before the update is in {backup}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/backups.py" line="+133"/>
        <source>There is no data to back up in {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no file {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is a folder; choose one of the backup files in it (crm-….sqlite3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{path} is not a CRM Desktop data file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The copy cannot be written to {path} ({reason}); choose another place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/errors.py" line="-30"/>
        <source>the disk or folder is read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the disk is full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>part of the path is a file, not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/backups.py" line="+3"/>
        <source>The copy {path} is damaged and cannot be used; choose another backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The backup copy failed its check and was deleted; the data file {path} may be damaged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The backup copy failed its check: the data file {path} is damaged. Start CRM Desktop again to repair it (or run: crm-desktop backup --check).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another CRM Desktop is restoring or repairing the data in {path}; try again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The copy {path} was made by a newer version of this program; please upgrade it first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/sync_.py" line="+24"/>
        <source>Sent {sent} change(s), received {received} record(s) (full download).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sent {sent} change(s), received {received} record(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} conflict(s): see `crm-desktop conflicts`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{count} of your customers return to the pool within {days} days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+5"/>
        <source>%n customer(s) not followed up in time returned to the pool.</source>
        <translation>
            <numerusform>%n customer not followed up in time returned to the pool.</numerusform>
            <numerusform>%n customers not followed up in time returned to the pool.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncError</name>
    <message>
        <location filename="../../crm_desktop/sync/errors.py" line="+36"/>
        <source>This profile is not connected to a server; use Connect first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server cannot be reached; your changes are kept and sent at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server cannot be reached; check the address and that the server is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server did not accept the user name or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your login has been switched off on the server, so this computer cannot sync; your changes are kept. Ask your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s security certificate is not trusted; ask your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server does not offer an encrypted connection; ask your administrator to turn TLS on, or, if this network is trusted, tick “Connect without encryption” (on the command line: --no-tls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The CA certificate file {detail} cannot be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file {detail} holds no certificate; choose the CA certificate file (often ca.pem or ca.crt) your administrator gave you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server address is not valid; write it as HOST, HOST:PORT/DATABASE or postgresql://HOST:PORT/DATABASE.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server was upgraded; please upgrade this program. Your changes are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server has an older version of the CRM than this program; ask your administrator to run “crm-desktop server upgrade”. Your changes are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your office “{detail}” is not using the CRM yet; your administrator will tell you when it starts. Your work stays on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server answered, but has no database “{detail}”; check the address (the part after the last /) with your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server answered, but does not let this computer in; ask your administrator to allow it (pg_hba.conf).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server reported a problem: {detail}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/sync/engine.py" line="+62"/>
        <source>the database has no CRM schema</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TeamActivityView</name>
    <message>
        <location filename="../../crm_desktop/views/team_activity_view.py" line="+69"/>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>‹ Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next ›</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Team activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups logged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customers added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opportunities changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latest change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Counts what this device holds: your team&apos;s customers and what was done on them, as of your last sync. Someone who has not synced lately may have done more than shows here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+44"/>
        <source>activity.pdf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{first} – {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{name} (me)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Team total</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TodayCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="-23"/>
        <source>Comments on your work logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Returning to the public pool</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TodayView</name>
    <message>
        <location filename="../../crm_desktop/views/today_view.py" line="+94"/>
        <source>Today&apos;s list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log a call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Postpone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delegate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Snooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>For 10 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For an hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until tomorrow morning</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>Today, %1: %n thing(s) to do</source>
        <translation>
            <numerusform>Today, %1: %n thing to do</numerusform>
            <numerusform>Today, %1: %n things to do</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="-5"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+5"/>
        <source>Notes from colleagues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Comments on your work log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="+2"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Reminders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Tasks due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Next steps due</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/today_view.py" line="+3"/>
        <source>Returning to the public pool within %n day(s)</source>
        <translation>
            <numerusform>Returning to the public pool within %n day</numerusform>
            <numerusform>Returning to the public pool within %n days</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="+2"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+2"/>
        <source>Contracts to renew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+49"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+4"/>
        <source>Nothing due today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+16"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+38"/>
        <source>%1 (overdue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/today_view.py" line="+9"/>
        <source>and %n more…</source>
        <translation>
            <numerusform>and %n more line…</numerusform>
            <numerusform>and %n more lines…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+70"/>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Note from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>About %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The whole note is under Show Details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open the customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+78"/>
        <location line="+10"/>
        <source>Delegate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Nobody else would see “%1”: the server shows a task only to those who see its customer (for a task on no customer, to whoever made it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Give “%1” to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Postpone to</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <location filename="../../crm_desktop/transfer/importing.py" line="+90"/>
        <source>Column {number} of the header has no name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The column “{column}” appears twice in the header.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A business card file holds contacts: import it as contacts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>there is no customer named “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} customers are named “{name}”; give the one you mean by its id in customer_id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>it has neither a name nor a customer (company).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has an id, so it changes an existing record: add --update to allow that, or empty the id to add a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>there is no user with the login or name “{login}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>several users are named “{name}”; give the one you mean by his login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{where}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{field} “{value}” is on {where} too; it must be unique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its id is on {where} too; a record is added once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>it was to update the record of {where}, which was not imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-32"/>
        <source>there is no contract numbered “{number}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-34"/>
        <source>The file has a column “{column}” that a {entity} record does not have; leave it out with --leave-out “{column}”, or head it as one of: {allowed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The file has columns that a {entity} record does not have: {columns}; leave each out with --leave-out, or head it as one of: {allowed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The columns “{first}” and “{second}” would both be read as {column}; only one of them can be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file has no column “{column}” to leave out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{count} contracts are numbered “{number}”; give the one you mean by its id in {column}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{ids} and {numbers} name different contracts; empty one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} “{value}” is already used by another {entity}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{id}” is not a record id; empty it to add the record with a new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a deleted {entity} has this id; empty the id to add the record anew.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no {entity} here has the id “{id}” of the column “{column}”; empty that cell to add the row as a new record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{value}” is the list&apos;s totals row, not a record; delete that row from the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>“{value}” is a long number Excel shortened when it saved the file, and its digits are lost; format the column as text in Excel (or import the .xlsx file itself) and save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Imported {created} new {entity} records, updated {updated}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../crm_desktop/transfer/staging.py" line="+84"/>
        <source>Added {count} new customer records for them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/reading.py" line="+41"/>
        <source>There is no file {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is a folder; choose a file in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {path} is empty; its first line must name the columns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line} of the file is not {encoding} text; choose the file&apos;s encoding, or save it as UTF-8 and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{encoding}” is not the name of a text encoding.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line}: a quoted value is never closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line} is not valid CSV ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has {count} values but the header has {width} columns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>line {line}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>row {line}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {path} is not an Excel .xlsx workbook.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {path} cannot be read ({reason}); close it in the program that has it open, or check that you may read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The workbook has no sheet named “{sheet}”; its sheets are: {sheets}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Row {row}, column {column} holds the number {value}, longer than the 15 digits Excel keeps, so its last digits are lost; format the column as text, type the number again and save the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="-50"/>
        <source>Exporting {entity} records: {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/import_.py" line="-100"/>
        <source>Checking and importing {entity} records: {done} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the file&apos;s columns as: {pairs}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{column}” as {target}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leaving out the columns: {columns}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking stopped there; the rest of the file may have problems too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing was imported; fix these rows and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skipped {where}: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/staging.py" line="-2"/>
        <source>Choose at least one column to import.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added {added}, updated {updated}, skipped {skipped}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why it was skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What to correct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It looks like {name}, which you chose to keep as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It would change a record you already have, which you chose to keep as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>line {line} of this file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>row {line} of this file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} ({place}): {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/labels.py" line="+20"/>
        <source>{field} (by number)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/staging.py" line="+3"/>
        <source>The import was undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+497"/>
        <source>Line {line} looks like {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Row {line} looks like {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Would add {added}, update {updated} and refuse {refused} of the file&apos;s {entity} records ({alike} of those it adds look like a record here or an earlier row of the file); nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The contacts would add {count} new customer records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/labels.py" line="-5"/>
        <source>Identifiers (kind: number)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Id (of a record here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Company address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer (by name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/vcard.py" line="+32"/>
        <source>The file {path} holds no business cards (vCard).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line}: the card that starts here has no END:VCARD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line} of the card file cannot be read ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Other phones: {numbers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fax: {numbers}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other emails: {emails}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other messaging IDs: {ids}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address: {address}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Website: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/cells.py" line="+23"/>
        <source>“{value}” is not an identifier; write kind:number, for example {example}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/contact_persons.py" line="+33"/>
        <source>contact person: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the contact person&apos;s name is empty, though other columns of the contact are not.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The columns {columns} describe a contact person, but no column holds the contact&apos;s name: choose that column, or leave those columns out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Contact person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s job title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s mobile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s email</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+6"/>
        <source>Added %n contact person(s) with them.</source>
        <translation>
            <numerusform>Added %n contact person with them.</numerusform>
            <numerusform>Added %n contact persons with them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>The import was undone; %n of the records it added stay, because they were changed or had something added to them since.</source>
        <translation>
            <numerusform>The import was undone; %n of the records it added stays, because it was changed or had something added to it since.</numerusform>
            <numerusform>The import was undone; %n of the records it added stay, because they were changed or had something added to them since.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UpgradeWindow</name>
    <message>
        <location filename="../../crm_desktop/views/upgrade_window.py" line="+21"/>
        <source>CRM Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Updating your data for this version of CRM Desktop.
A backup copy is made first. On a large database this can take a minute; please leave the program open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Updating data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../crm_desktop/models/phones.py" line="+1"/>
        <source>“{value}” is not a phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: “{value}” is not a valid phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: “{value}” has {count} digits; a mobile number in China has 11.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/rules.py" line="+40"/>
        <source>{field} is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} is longer than {limit} characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{value}” is not an email address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} cannot be “{value}”; use one of: {allowed}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} must be a number, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} “{value}” is split where no thousands end: a comma or a space goes only between thousands (1,250.00), and the decimal point is a dot (12.50).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{field} must be between {low} and {high}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} “{value}” has more than two decimals; money is counted to the fen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field} cannot be less than {low}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/dates.py" line="+17"/>
        <source>{field} must be a date like 2024-03-31, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} must start with the year, like 2026-01-05; “{value}” could mean two different days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field} holds “{value}”, the number a spreadsheet keeps for a date: format the column as dates in the spreadsheet before saving it, or type the date like 2026-01-05.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/rules.py" line="+1"/>
        <source>{field} must be yes or no, not “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no field called “{value}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} contains a control character ({code}); remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/services/writer.py" line="+77"/>
        <source>No {entity} with id {id} exists (it may be deleted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the rep you enter this record for: it will be theirs, not yours.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chosen {entity} belongs to another customer; choose one of this customer&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The end date is before the start date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A contract cannot renew itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A terminated contract needs its end date: the day it stopped (instalments after it are no longer owed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This contract has a payment plan, payments or a renewal, which are its customer&apos;s: it stays with that customer. Add a new contract for the other one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Contract {number} is already renewed by contract {renewal}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A follow-up records what happened: its time can&apos;t be later than today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The next step&apos;s date is before the follow-up itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A work log is written for a day that has come; {day} is still ahead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field} “{value}” is already used by another {entity}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/services/merging.py" line="+54"/>
        <source>Choose two different records to merge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only contacts of the same customer can be merged; move one of them first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/demo.py" line="-107"/>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="-138"/>
        <source>Demo data is only for a profile that works on this computer: it must never reach a company server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/undo.py" line="+70"/>
        <source>There is no such import on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This import was undone already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/identifiers.py" line="+28"/>
        <source>“{value}” is not an ID card number: it has 18 characters (17 digits, then a digit or X) or, on the oldest cards, 15 digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{value}” is not a valid ID card number: its birth date or its last character does not fit the others; check the digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{value}” is not a valid tax number: its last character does not fit the others; check the characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkLogView</name>
    <message>
        <location filename="../../crm_desktop/views/work_log_view.py" line="+93"/>
        <source>‹ Previous day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next day ›</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Day of the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>My log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+4"/>
        <location line="+353"/>
        <source>What I did</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-356"/>
        <location line="+4"/>
        <location line="+353"/>
        <source>Tomorrow&apos;s plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-356"/>
        <location line="+4"/>
        <location line="+353"/>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-352"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Comments on my log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+46"/>
        <source>Comments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Team&apos;s logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Your comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your comment on this log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Work log not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your log of {day} is not saved. Leave it and lose what you typed?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+51"/>
        <source>No log for {day} yet, and this computer has no follow-ups, new customers or finished tasks of yours that day to fill in: write what you did, your plan and problems, then save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No log for {day} yet. What you did is filled in from this device&apos;s records: edit it, add your plan and problems, then save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your log of {day}, last saved {when}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No comments yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No log yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n comment(s)</source>
        <translation>
            <numerusform>%n comment</numerusform>
            <numerusform>%n comments</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nobody&apos;s logs reach this device yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No log yet for {day}: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Everyone wrote a log for {day}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>…and %n more</source>
        <translation>
            <numerusform>…and %n more line</numerusform>
            <numerusform>…and %n more lines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Follow-ups (%n):</source>
        <translation>
            <numerusform>Follow-up (%n):</numerusform>
            <numerusform>Follow-ups (%n):</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>- {customer} ({kind}): {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>- {customer} ({kind})</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>New customers (%n):</source>
        <translation>
            <numerusform>New customer (%n):</numerusform>
            <numerusform>New customers (%n):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Tasks done (%n):</source>
        <translation>
            <numerusform>Task done (%n):</numerusform>
            <numerusform>Tasks done (%n):</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>- {task} ({customer})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{who}, {when}: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>No log yet for {day}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Nothing changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Comment added.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
