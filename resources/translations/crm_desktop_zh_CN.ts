<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../crm_desktop/views/about_dialog.py" line="+45"/>
        <source>About CRM Desktop</source>
        <translation>关于 CRM Desktop</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Version {version}</source>
        <translation>版本 {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline-first CRM for field sales teams.</source>
        <translation>离线优先的销售团队客户管理系统。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Free software under the GNU General Public License, version 3 or later ({licence}): you may share and change it under its terms. It comes with no warranty.</source>
        <translation>本软件是自由软件，依据 GNU 通用公共许可证第 3 版或更新版本（{licence}）发布：您可以按其条款分享和修改。本软件不提供任何担保。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+2"/>
        <source>Profile folder</source>
        <translation>数据档案文件夹</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+2"/>
        <source>Log file</source>
        <translation>日志文件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copy details</source>
        <translation>复制详情</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For a message to support: version, system, files</source>
        <translation>用于发给技术支持：版本、系统、文件位置</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../crm_desktop/views/assign_dialog.py" line="+47"/>
        <source>Assign customers</source>
        <translation>分配客户</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Give %n customer(s) to a member of your team:</source>
        <translation>
            <numerusform>把 %n 个客户交给您团队中的一位成员：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Receiver</source>
        <translation>接收人</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Why (optional; kept in the customer&apos;s history)</source>
        <translation>原因（可不填；记入客户的归属记录）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading your team…</source>
        <translation>正在读取您的团队…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Assign</source>
        <translation>分配</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Your device knows nobody you may give customers to; sync and try again.</source>
        <translation>这台电脑上没有您可以分配客户的人；请先同步再试。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Asking the server…</source>
        <translation>正在询问服务器…</translation>
    </message>
</context>
<context>
    <name>BackupCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="+96"/>
        <source>No backups in {folder}.</source>
        <translation>{folder} 中没有备份。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This replaces the data in {folder} with the copy {copy}; the current data is kept aside in the backups folder. Linked to a server, changes not yet synced are kept; on this computer only, what was entered after the copy was made is only in the data kept aside.</source>
        <translation>这会用备份 {copy} 替换 {folder} 中的数据；当前数据会另存到备份文件夹。已连接服务器时，尚未同步的修改会保留；只在本机使用时，备份之后录入的内容只在另存的数据里。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Restore? [y/N] </source>
        <translation>要恢复吗？[y/N] </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing was changed.</source>
        <translation>没有做任何更改。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is no data file in {folder}.</source>
        <translation>{folder} 中没有数据文件。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The data file is sound.</source>
        <translation>数据文件完好。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The data file&apos;s indexes were damaged and have been rebuilt; nothing was lost.</source>
        <translation>数据文件的索引已损坏，现已重建；没有丢失任何数据。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>It was rebuilt from the backup of {when} ({path}).</source>
        <translation>已根据 {when} 的备份（{path}）重建。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Restored the copy of {when} ({path}).</source>
        <translation>已恢复 {when} 的备份（{path}）。</translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <location line="-150"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+57"/>
        <source>daily</source>
        <translation>每日</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>before update</source>
        <translation>更新前</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>before restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+1"/>
        <source>damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <location line="+137"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+17"/>
        <source>The data file was damaged and has been replaced.</source>
        <translation>数据文件已损坏，已被替换。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+6"/>
        <source>It was rebuilt from the backup of {when}.</source>
        <translation>已根据 {when} 的备份重建。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The copy of {when} was restored.</source>
        <translation>已恢复 {when} 的备份。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="+15"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+6"/>
        <source>The data it replaced is kept in {path}.</source>
        <translation>被替换的数据保存在 {path}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+6"/>
        <source>The copy was made by another user&apos;s CRM Desktop: you stay the user here, and the next sync replaces its records with yours.</source>
        <translation>这份备份来自另一个用户的 CRM Desktop：这里的用户仍然是您，下次同步会用您的记录替换其中的记录。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+30"/>
        <source>No server is linked, so the records could not be brought back; an older backup may hold them.</source>
        <translation>未连接服务器，记录无法取回；较早的备份中可能还有这些记录。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="+28"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+8"/>
        <source>Parts of the damaged file could not be read.</source>
        <translation>损坏文件的部分内容无法读取。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+4"/>
        <source>Start CRM Desktop again to work with the restored data.</source>
        <translation>请重新启动 CRM Desktop，以使用恢复后的数据。</translation>
    </message>
    <message>
        <location line="+177"/>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The backup was not restored: save or close your open forms first.</source>
        <translation>备份未恢复：请先保存或关闭打开的表单。</translation>
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
        <translation>CRM Desktop</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Checking your data file…</source>
        <translation>正在检查您的数据文件…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Your data file is damaged. Repairing it from what can be read…</source>
        <translation>您的数据文件已损坏，正在用可读取的部分修复…</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Making today&apos;s backup…</source>
        <translation>正在进行今天的备份…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Today&apos;s backup could not be made: {reason}</source>
        <translation>今天的备份未能完成：{reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Restoring your data from the backup you chose…</source>
        <translation>正在从您选择的备份恢复数据…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The backup was not restored: {reason}</source>
        <translation>备份未恢复：{reason}</translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+34"/>
        <source>%n change(s) not yet sent to the server are kept; the next sync sends them and downloads everything again.</source>
        <translation>
            <numerusform>%n 项尚未发送到服务器的更改已保留；下次同步会发送它们，并重新下载全部数据。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n record(s) were saved from the damaged file. No server is linked, so records that could not be read are not back; an older backup may hold them.</source>
        <translation>
            <numerusform>已从损坏的文件中保存 %n 条记录。未连接服务器，无法读取的记录没有恢复；较早的备份中可能还有这些记录。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="-354"/>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A copy of your data is made each day when you quit; the last 7 days and 4 weeks before are kept, in {folder}.</source>
        <translation>每天退出程序时会备份一次数据；保留最近 7 天及之前 4 周的备份，位于 {folder}。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Made</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Making a copy of your data…</source>
        <translation>正在备份数据…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Restore the copy of {when}?

CRM Desktop closes, puts that copy in place of your data and keeps your current data aside in the backups folder. Linked to a server, changes not yet sent to it are kept and sent at the next sync. Working on this computer only, what you entered after the copy was made is not in it: only in the data kept aside. Then start the program again.</source>
        <translation>恢复 {when} 的备份吗？

CRM Desktop 会关闭，用这份备份替换您的数据，并把当前数据另存到备份文件夹。已连接服务器时，尚未发送的更改会保留，并在下次同步时发送。只在本机使用时，备份之后录入的内容不在这份备份里，只在另存的数据中。然后请重新启动程序。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="-122"/>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="-15"/>
        <source>Backed up to {path}.</source>
        <translation>已备份到 {path}。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/backups_dialog.py" line="+13"/>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Checking the copy…</source>
        <translation>正在检查备份…</translation>
    </message>
</context>
<context>
    <name>CalendarView</name>
    <message>
        <location filename="../../crm_desktop/views/calendar_view.py" line="+222"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Whose calendar</source>
        <translation>谁的日程</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Me</source>
        <translation>我</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ overdue    ✓ done    blue: task    green: planned next step of a customer</source>
        <translation>⚠ 已逾期    ✓ 已完成    蓝色：任务    绿色：客户的下一步计划</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Calendar of</source>
        <translation>日程：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Calendar</source>
        <translation>日程</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>My whole team</source>
        <translation>我的整个团队</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Previous day</source>
        <translation>前一天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next day</source>
        <translation>后一天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous week</source>
        <translation>上一周</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next week</source>
        <translation>下一周</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous month</source>
        <translation>上个月</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next month</source>
        <translation>下个月</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>{first} – {last}</source>
        <translation>{first} 至 {last}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>MMMM yyyy</source>
        <comment>month title</comment>
        <translation>yyyy年M月</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>All day, earlier</source>
        <translation>全天 / 更早</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Later</source>
        <translation>更晚</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+34"/>
        <source>{day} (today)</source>
        <translation>{day}（今天）</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>+%n more</source>
        <translation>
            <numerusform>还有 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Follow up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{person} · {title}</source>
        <translation>{person} · {title}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Customer: {name}</source>
        <translation>客户：{name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For: {name}</source>
        <translation>负责人：{name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <location filename="../../crm_desktop/views/charts.py" line="+94"/>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this chart as a picture</source>
        <translation>把此图表保存为图片</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>10,000 yuan</source>
        <translation>万元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>100 million yuan</source>
        <translation>亿元</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>¥ thousand</source>
        <translation>千元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>¥ million</source>
        <translation>百万元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>¥ billion</source>
        <translation>十亿元</translation>
    </message>
    <message>
        <location line="+159"/>
        <source>Save the chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="+458"/>
        <source>Check the rows</source>
        <translation>检查各行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cells with a problem are marked; point at one to read why. Correct a cell by typing in it, or choose what happens to those rows.</source>
        <translation>有问题的单元格已标出，鼠标停在上面可看原因。可以直接在单元格里改正，或选择如何处理这些行。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Skip the rows with problems and import the rest</source>
        <translation>跳过有问题的行，导入其余的行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop: I will correct the file first</source>
        <translation>停下：我先去改正文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save the rows with problems…</source>
        <translation>保存有问题的行…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Update them with the file&apos;s values</source>
        <translation>用文件里的内容更新这些记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only fill in their empty fields</source>
        <translation>只填写这些记录里空着的项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skip those rows: the records stay as they are</source>
        <translation>跳过这些行：记录保持原样</translation>
    </message>
    <message numerus="yes">
        <location line="+47"/>
        <source>Checking %n row(s) and looking for duplicates…</source>
        <translation>
            <numerusform>正在检查 %n 行并查找重复…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+91"/>
        <source>%n of the rows have problems.</source>
        <translation>
            <numerusform>有 %n 行有问题。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>They are shown first, then the others up to %1 rows.</source>
        <translation>这些行排在最前面，其余的行接在后面，最多显示 %1 行。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>All %n row(s) can be imported.</source>
        <translation>
            <numerusform>全部 %n 行都可以导入。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n company(ies) not among your customers will be added as customers: %1. If one is a customer you have, written otherwise, correct its name here.</source>
        <translation>
            <numerusform>将把不在您客户中的 %n 家公司新增为客户：%1。如果其中有您已有的客户，只是写法不同，请在这里改正它的名称。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%n row(s) carry the id of a record you already have (as an export does) and would change it. Choose what happens to those records before going on:</source>
        <translation>
            <numerusform>有 %n 行带着已有记录的编号（导出的文件就是这样），会改动这些记录。请先选择如何处理这些记录：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Save the rows with problems to have the list beside you: each row&apos;s line and what to correct in it. Then close this window, correct the file and import it again.</source>
        <translation>先保存有问题的行，把清单放在手边：每一行在文件中的行号和要改正的地方。然后关闭这个窗口，改好文件后再导入一次。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Save the rows with problems</source>
        <translation>保存有问题的行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rows to correct.csv</source>
        <translation>要改正的行.csv</translation>
    </message>
</context>
<context>
    <name>Choices</name>
    <message>
        <location filename="../../crm_desktop/models/choices.py" line="+108"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sales rep</source>
        <translation>销售代表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clerk</source>
        <translation>文员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Company</source>
        <translation>企业</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C</source>
        <translation>C</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/duplicates/model.py" line="+43"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Tax number</source>
        <translation>税号</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>ID card number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Policy number</source>
        <translation>保单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Licence plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Member number</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/models/choices.py" line="+1"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/choices.py" line="-8"/>
        <source>A (top {percent}%)</source>
        <translation>A（前 {percent}%）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B (next {percent}%)</source>
        <translation>B（其次 {percent}%）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lead</source>
        <translation>初步接洽</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualified</source>
        <translation>需求确认</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposal</source>
        <translation>方案报价</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negotiation</source>
        <translation>商务谈判</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Won</source>
        <translation>赢单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation>输单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone call</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Visit</source>
        <translation>拜访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Policy</source>
        <translation>保单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Membership</source>
        <translation>会员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>生效中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ended</source>
        <translation>已到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terminated</source>
        <translation>已终止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undecided</source>
        <translation>未定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewing</source>
        <translation>续约中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not renewing</source>
        <translation>不续约</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewed</source>
        <translation>已续约</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Card</source>
        <translation>刷卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cheque</source>
        <translation>支票</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <location filename="../../crm_desktop/queries/tables.py" line="+246"/>
        <location line="+120"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Short name</source>
        <translation>简称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+51"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+51"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+72"/>
        <location line="+69"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="-132"/>
        <source>Last follow-up</source>
        <translation>最近跟进</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Next follow-up</source>
        <translation>下次跟进</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Returns to pool</source>
        <translation>退回公海</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Customer grade</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Entered by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quiet since</source>
        <translation>最后跟进或接手</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+21"/>
        <location line="+34"/>
        <location line="+35"/>
        <location line="+39"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="-125"/>
        <source>Job title</source>
        <translation>职务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+33"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+71"/>
        <location line="+37"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>Expected close</source>
        <translation>预计成交日期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Probability %</source>
        <translation>成交概率（%）</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Due</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Assigned to</source>
        <translation>执行人</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>List price</source>
        <translation>标准价</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Number</source>
        <translation>合同号</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ends</source>
        <translation>到期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewal</source>
        <translation>续约</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Running past its end, not renewed</source>
        <translation>已过到期日仍在执行，未续约</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Paid on</source>
        <translation>回款日期</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recorded by</source>
        <translation>登记人</translation>
    </message>
    <message>
        <location line="-229"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
</context>
<context>
    <name>ColumnsPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-368"/>
        <source>Which column is which</source>
        <translation>每一列是什么</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Guessed from the column names; change any that is wrong. Columns set to “(not imported)” are left out.</source>
        <translation>已根据列名猜测，猜错的请改正。设为“（不导入）”的列不会导入。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>First values</source>
        <translation>前几个值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Imported as</source>
        <translation>导入为</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Remember these choices for files with the same columns</source>
        <translation>记住这些选择，下次遇到相同列的文件时使用</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>The columns are this program&apos;s own.</source>
        <translation>这些列就是本程序导出的列。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>These choices were made for a file like this before.</source>
        <translation>这些选择是以前为同样的文件做的。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guessed from the column names.</source>
        <translation>根据列名猜测。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(no name)</source>
        <translation>（无列名）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <location filename="../../crm_desktop/cli.py" line="+59"/>
        <source>There is no CRM data in {directory}; check the folder given with --profile, or open the program (or run `crm-desktop demo` or `import`) first.</source>
        <translation>{directory} 中没有 CRM 数据；请检查 --profile 指定的文件夹，或者先打开程序（或运行 `crm-desktop demo` 或 `import`）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>There is no profile in {directory}; check the folder given with --profile, or run `crm-desktop connect` first.</source>
        <translation>{directory} 中没有数据档案；请检查 --profile 指定的文件夹，或者先运行 `crm-desktop connect`。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s：错误：%(message)s
</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>参数 %(argument_name)s：%(message)s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the following arguments are required: %s</source>
        <translation>缺少必需的参数：%s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unrecognized arguments: %s</source>
        <translation>无法识别的参数：%s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>无效的选择：%(value)r（可选：%(choices)s）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>无效的 %(type)s 值：%(value)r</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected one argument</source>
        <translation>需要给出一个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected at most one argument</source>
        <translation>最多只能给出一个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected at least one argument</source>
        <translation>至少需要给出一个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected %s argument</source>
        <translation>需要给出 %s 个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expected %s arguments</source>
        <translation>需要给出 %s 个值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not allowed with argument %s</source>
        <translation>不能与参数 %s 同时使用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one of the arguments %s is required</source>
        <translation>必须给出以下参数之一：%s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ignored explicit argument %r</source>
        <translation>此选项不接受值：%r</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>选项不明确：%(option)s 可能是 %(matches)s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unexpected option string: %s</source>
        <translation>意外的选项：%s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>没有命令 %(parser_name)r（可用的命令：%(choices)s）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>can&apos;t open &apos;%(filename)s&apos;: %(error)s</source>
        <translation>无法打开“%(filename)s”：%(error)s</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Offline-first CRM for field sales teams.</source>
        <translation>离线优先的销售团队客户管理系统。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>profile folder (default: the user&apos;s own)</source>
        <translation>数据档案文件夹（默认：本用户自己的）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>profile folder</source>
        <translation>数据档案文件夹</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>show this help and exit</source>
        <translation>显示本帮助并退出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>show the program&apos;s version and exit</source>
        <translation>显示程序版本并退出</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Stopped; nothing was left half-done.</source>
        <translation>已停止；没有留下做了一半的内容。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/backup.py" line="-55"/>
        <source>make a checked copy of this profile&apos;s data</source>
        <translation>为本数据档案中的数据做一份经过检查的副本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the profile&apos;s data (safe while the window is open), check the copy, and say where it is: a new file in the profile&apos;s backups folder, or FILE.</source>
        <translation>复制数据档案中的数据（窗口打开时也安全），检查副本，并说明它在哪里：数据档案的 backups 文件夹中的一个新文件，或 FILE。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>write the copy here</source>
        <translation>把副本写到这里</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>list the profile&apos;s backups</source>
        <translation>列出数据档案的备份</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>check the data file, and recover it if it is damaged</source>
        <translation>检查数据文件，损坏时加以恢复</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>put a backup copy back in place of this profile&apos;s data</source>
        <translation>用一份备份替换本数据档案中的数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the profile&apos;s data with a backup copy. The current data is kept aside in the backups folder first. Linked to a server, changes not yet sent to it are kept and sent at the next sync, which downloads everything again; working on this computer only, what was entered after the copy was made is only in the data kept aside. Close the window first.</source>
        <translation>用备份替换数据档案中的数据。当前数据会先另存到备份文件夹。已连接服务器时，尚未发送的更改会保留，并在下次同步时发送，同步会重新下载全部数据；只在本机使用时，备份之后录入的内容只在另存的数据中。请先关闭窗口。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the backup copy to restore</source>
        <translation>要恢复的备份</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>do not ask for confirmation</source>
        <translation>不要求确认</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/conflicts.py" line="+22"/>
        <source>list sync conflicts</source>
        <translation>列出同步冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List the values that lost to another change at the server (or that the server refused), with the value kept and the one that lost.</source>
        <translation>列出在服务器上输给另一处更改（或被服务器拒绝）的值，以及保留的值和落选的值。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../crm_desktop/commands/renewals.py" line="+47"/>
        <source>a JSON list of objects</source>
        <translation>一个 JSON 对象列表</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/connect.py" line="+22"/>
        <source>link this profile to the shared server</source>
        <translation>把本数据档案连接到共享服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the server and the user&apos;s password, then remember both: the address in the profile, the password in the system keyring (never in a file). The password is read from standard input, or asked for; one inside the address is moved to the keyring. Another computer is reached only over TLS.</source>
        <translation>检查服务器和用户密码，然后记住两者：地址存在数据档案里，密码存在系统钥匙串里（从不写入文件）。密码从标准输入读取，或询问输入；地址中带的密码会移到钥匙串。其他电脑只通过 TLS 连接。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>HOST, HOST:PORT, [IPv6]:PORT, each with an optional /DB (database crm when none is named), or a postgresql://HOST:PORT/DB URL or libpq key=value string</source>
        <translation>HOST、HOST:PORT、[IPv6]:PORT，均可带 /DB（不写时数据库为 crm），或 postgresql://HOST:PORT/DB 网址，或 libpq 的 key=value 字符串</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>your user name on the server</source>
        <translation>您在服务器上的用户名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the CA certificate that signed the server&apos;s: verify the server with it (sslmode=verify-full)</source>
        <translation>签发服务器证书的 CA 证书：用它验证服务器（sslmode=verify-full）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>connect without encryption (only on a network you trust)</source>
        <translation>不加密连接（仅限您信任的网络）</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/demo.py" line="+36"/>
        <source>the number of customers must be at least 1</source>
        <translation>客户数至少为 1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>fill the profile with sample customers (local only, never synced)</source>
        <translation>向数据档案填入示例客户（仅在本机，从不同步）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add realistic sample customers, contacts, deals, tasks and follow-ups, and for about a fifth of the customers contracts with their payment plans and payments. Demo data writes no outbox entries, so it never reaches a server; a profile connected to a server is refused.</source>
        <translation>添加逼真的示例客户、联系人、商机、任务和跟进记录，并为约五分之一的客户添加合同及其付款计划和回款。示例数据不写入待发送队列，因此从不会到达服务器；已连接服务器的数据档案会被拒绝。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>customers to add</source>
        <translation>要添加的客户数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the same seed makes the same data (default: 1, or for a profile holding its demo already the next seed whose demo it does not hold)</source>
        <translation>相同的种子生成相同的数据（默认：1；数据档案已有其示例数据时，为它尚未有的下一个种子）</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="+26"/>
        <source>write customers, contacts, products, opportunities, tasks, follow-ups, contracts, their instalments or payments to a file</source>
        <translation>把客户、联系人、产品、商机、任务、跟进记录、合同及其分期或回款写入文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export live records as UTF-8 CSV (with a BOM, for Excel) or .xlsx. The first column is the id, so the file can be edited and imported with --update.</source>
        <translation>把有效记录导出为 UTF-8 CSV（带 BOM，供 Excel 使用）或 .xlsx。第一列是 id，因此文件可以编辑后用 --update 导入。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>default: from --out&apos;s extension, else csv</source>
        <translation>默认：按 --out 的扩展名，否则为 csv</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>default: standard output</source>
        <translation>默认：标准输出</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/import_.py" line="+51"/>
        <source>add or update records from a CSV, .xlsx or vCard (.vcf) file</source>
        <translation>从 CSV、.xlsx 或 vCard（.vcf）文件添加或更新记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rows without an id are added. With --update, rows with an id change only the columns the file has. With --keep-ids, a row whose id no record here has adds its record with that id. Any bad row stops the import; nothing is half-imported. Columns may have the export&apos;s names or the words people use (客户名称, 手机, 身份证...); a business card file is imported as contacts, each card&apos;s company as their customer.</source>
        <translation>没有 id 的行会被添加。使用 --update 时，带 id 的行只更改文件中有的列。使用 --keep-ids 时，id 在本机没有对应记录的行以该 id 添加记录。任何一行有误都会停止导入；不会只导入一半。列名可以是导出文件的列名，也可以是常用说法（客户名称、手机、身份证……）；名片文件作为联系人导入，每张名片的公司作为其客户。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a .csv or tab-separated .txt file, an .xlsx workbook or a .vcf file of cards</source>
        <translation>一个 .csv 或以制表符分隔的 .txt 文件、一个 .xlsx 工作簿，或一个名片 .vcf 文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>let rows with an id change existing records</source>
        <translation>允许带 id 的行更改已有记录</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>add rows whose id no record here has under that id (records from another profile: import customers first, then what links to them)</source>
        <translation>id 在本机没有对应记录的行以该 id 添加（来自另一个数据档案的记录：先导入客户，再导入与之关联的记录）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the text file&apos;s encoding, when the one detected is wrong (for example {names}; gbk reads as gb18030)</source>
        <translation>检测出的编码不对时，文本文件的编码（例如 {names}；gbk 按 gb18030 读取）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the workbook&apos;s sheet to read (default: the first with a list on it)</source>
        <translation>要读取的工作表（默认：第一个有列表的工作表）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>a column of the file not to import, as its header names it (repeat for each; a column of row numbers such as 序号 is left out by itself)</source>
        <translation>不导入的列，按表头写的名称（每列写一次；像“序号”这样的行号列会自动略去）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>leave out the rows that look like records already here or like earlier rows of the file, as the window does unless told otherwise (--dry-run lists them)</source>
        <translation>略去看起来与已有记录或文件中前面的行相同的行，和窗口里的默认做法一样（--dry-run 会列出它们）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>change nothing: say what would be added, updated and refused, and which rows look like records already here (and why)</source>
        <translation>不做任何更改：说明将添加、更新和拒绝哪些行，以及哪些行看起来与本机已有的记录相同（及原因）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>--sheet names a sheet of an .xlsx workbook; {file} has no sheets.</source>
        <translation>--sheet 指定的是 .xlsx 工作簿中的工作表；{file} 没有工作表。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/ownership.py" line="+27"/>
        <source>make a customer of the public pool your own</source>
        <translation>把公海中的一个客户认领为自己的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give one of your customers back to the public pool</source>
        <translation>把自己的一个客户退回公海</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give a customer to a member of your team (managers)</source>
        <translation>把一个客户交给团队成员（经理使用）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make a customer of the public pool your own. The server decides at once, by the rules its administrator set; a refusal says which rule and until when.</source>
        <translation>把公海中的一个客户认领为自己的。服务器立即按管理员设定的规则决定；拒绝时会说明是哪条规则、到何时为止。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give one of your customers back to the public pool. The server decides at once, by the rules its administrator set; a refusal says which rule and until when.</source>
        <translation>把自己的一个客户退回公海。服务器立即按管理员设定的规则决定；拒绝时会说明是哪条规则、到何时为止。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Give a customer to a member of your team (managers). The server decides at once, by the rules its administrator set; a refusal says which rule and until when.</source>
        <translation>把一个客户交给团队成员（经理使用）。服务器立即按管理员设定的规则决定；拒绝时会说明是哪条规则、到何时为止。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>the customer&apos;s id</source>
        <translation>客户的 id</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>login of the receiver</source>
        <translation>接收人的登录名</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>why, for the history</source>
        <translation>原因，记入历史</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/renewals.py" line="-22"/>
        <source>list the contracts ending in a period, with their renewal status</source>
        <translation>列出某一期间内到期的合同及其续约状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>List the running or ended contracts (not drafts nor terminated ones) whose end date falls from --from to --to inclusive, soonest first. Without dates: today and the next {days} days.</source>
        <translation>列出到期日在 --from 至 --to（含）之间的执行中或已到期合同（不含草稿和已终止的），最早到期的在前。不给日期时：今天及之后 {days} 天。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="+215"/>
        <source>first day, YYYY-MM-DD</source>
        <translation>第一天，YYYY-MM-DD</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last day, YYYY-MM-DD</source>
        <translation>最后一天，YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/renewals.py" line="+11"/>
        <source>only this kind</source>
        <translation>只看这一类型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>only this renewal status</source>
        <translation>只看这一续约状态</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="-174"/>
        <source>write a report as a PDF: a customer, a quote, the pipeline, activity, renewals, receivables</source>
        <translation>把报表写成 PDF：客户、报价单、销售漏斗、活动、续约、应收款</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write a report as a PDF file, in Chinese or English, with the names and figures the window shows. Periods: the pipeline forecasts this month and the next five, activity covers the last seven days, renewals today and the next thirty days, unless --from and --to say otherwise.</source>
        <translation>把报表写成 PDF 文件，中文或英文，名称和数字与窗口所示相同。期间：销售漏斗预测本月及之后五个月，活动为最近七天，续约为今天及之后三十天，除非 --from 和 --to 另有指定。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>one of {kinds}</source>
        <translation>可选 {kinds}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the customer (for `customer`)</source>
        <translation>客户（用于 `customer`）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the opportunity (for `quote`)</source>
        <translation>商机（用于 `quote`）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>only this person&apos;s records</source>
        <translation>只看此人的记录</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the report&apos;s language (default: the one chosen in the window, else the system&apos;s)</source>
        <translation>报表的语言（默认：窗口中所选的语言，否则为系统语言）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>the file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/server.py" line="+89"/>
        <source>libpq URL or connection string of the admin role, e.g. &apos;postgresql://crm_admin@db.example.com/crm?sslmode=verify-full&amp;sslrootcert=ca.crt&apos; (default: the PG* environment variables)</source>
        <translation>管理员角色的 libpq 网址或连接字符串，例如 &apos;postgresql://crm_admin@db.example.com/crm?sslmode=verify-full&amp;sslrootcert=ca.crt&apos;（默认：PG* 环境变量）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>set up the shared PostgreSQL server and add its users</source>
        <translation>设置共享的 PostgreSQL 服务器并添加其用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create or upgrade the CRM schema on the shared PostgreSQL server, and add users (each one a PostgreSQL login role).</source>
        <translation>在共享的 PostgreSQL 服务器上创建或升级 CRM 数据库结构，并添加用户（每个用户是一个 PostgreSQL 登录角色）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>create or upgrade the schema (safe to run again)</source>
        <translation>创建或升级数据库结构（可重复运行）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create the CRM tables, change log and access rules, or upgrade them. Running it again on an up-to-date server changes nothing.</source>
        <translation>创建 CRM 的表、变更日志和访问规则，或升级它们。在已是最新的服务器上再次运行不会改变任何东西。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>add a user (a PostgreSQL login role)</source>
        <translation>添加用户（一个 PostgreSQL 登录角色）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a login role for a CRM user and give it its CRM role. The password is read from standard input when it is not a terminal, otherwise asked twice.</source>
        <translation>为 CRM 用户创建登录角色并赋予其 CRM 角色。标准输入不是终端时从中读取密码，否则询问两次。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+79"/>
        <source>login name (lower case)</source>
        <translation>登录名（小写）</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+35"/>
        <source>one of {roles}</source>
        <translation>可选 {roles}</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>login of the user&apos;s manager</source>
        <translation>该用户经理的登录名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>display name (default: the login name)</source>
        <translation>显示名称（默认：登录名）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the office he works in (default: the head office)</source>
        <translation>他所在的分公司（默认：总部）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>change a user&apos;s display name, role or manager</source>
        <translation>更改用户的显示名称、角色或经理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change an existing user&apos;s display name, CRM role or manager; what is not given stays as it is. What he sees follows his new role and team from his devices&apos; next sync. A user keeps his role while it is needed: customers he owns go to someone else first (server handover), his team to another manager, and a clerk assignment joining him is ended first (server unassign-clerk). Administrators only.</source>
        <translation>更改已有用户的显示名称、CRM 角色或经理；未给出的保持不变。他能看到的内容从其设备下次同步起随新角色和团队而变。用户在仍被需要时保留其角色：他拥有的客户须先交给别人（server handover），他的团队须先交给另一位经理，与他相关的录入员授权须先结束（server unassign-clerk）。仅限管理员。</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+103"/>
        <location line="+254"/>
        <source>login name</source>
        <translation>登录名</translation>
    </message>
    <message>
        <location line="-355"/>
        <source>his new display name</source>
        <translation>他的新显示名称</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>login of his new manager (a manager or an admin)</source>
        <translation>他的新经理的登录名（经理或管理员）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>he reports to nobody</source>
        <translation>他不向任何人汇报</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>give a user a new password</source>
        <translation>给用户设置新密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give a CRM user a new password, for one he forgot or one others may know. The password is read from standard input when it is not a terminal, otherwise asked twice. His devices ask for it at their next sync.</source>
        <translation>给 CRM 用户设置新密码，用于他忘记的密码或别人可能知道的密码。标准输入不是终端时从中读取密码，否则询问两次。他的设备在下次同步时会要求输入新密码。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the user&apos;s login name</source>
        <translation>用户的登录名</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>add a read-only login for a finance or ERP system</source>
        <translation>为财务或 ERP 系统添加只读登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a login role that reads the views erp_customers, erp_contracts and erp_payments and nothing else (it is not a CRM user). The password is read from standard input when it is not a terminal, otherwise asked twice.</source>
        <translation>创建一个只能读取视图 erp_customers、erp_contracts 和 erp_payments 的登录角色（它不是 CRM 用户）。标准输入不是终端时从中读取密码，否则询问两次。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>make the login pgbouncer looks users up with (run as the superuser)</source>
        <translation>创建 pgbouncer 用来查找用户的登录（以超级用户运行）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make the login pgbouncer&apos;s auth_user logs in as, and the function its auth_query calls, in the database of --dsn: pgbouncer then checks each user&apos;s own password without being the superuser. Connect as the superuser, straight to PostgreSQL; run it again for each database pgbouncer serves. The password is read from standard input when it is not a terminal, otherwise asked twice.</source>
        <translation>在 --dsn 所指的数据库中，创建 pgbouncer 的 auth_user 所用的登录，以及其 auth_query 调用的函数：这样 pgbouncer 无需是超级用户即可核对每个用户自己的密码。请以超级用户直接连接 PostgreSQL；pgbouncer 服务的每个数据库都运行一次。标准输入不是终端时从中读取密码，否则询问两次。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>default: {login}</source>
        <translation>默认：{login}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>delete old entries of the change log</source>
        <translation>删除变更日志中的旧条目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete change-log entries older than the given number of days. A device that has not synced since then downloads everything again at its next sync.</source>
        <translation>删除早于给定天数的变更日志条目。此后未同步过的设备会在下次同步时重新下载全部数据。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>1 to {most} (default: 90)</source>
        <translation>1 至 {most}（默认：90）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>disable a user: he can no longer log in; his records stay</source>
        <translation>停用用户：他不能再登录；他的记录保留</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable a user: he can no longer log in; his records stay.</source>
        <translation>停用用户：他不能再登录；他的记录保留。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>enable a deactivated user again</source>
        <translation>重新启用已停用的用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable a deactivated user again.</source>
        <translation>重新启用已停用的用户。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>grade customers by value and return those nobody followed up to the pool</source>
        <translation>按价值给客户分级，并把无人跟进的客户退回公海</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Grade every customer A, B or C by what it paid in the last 12 months (a grade fixed by a manager stays), then return to the public pool every customer whose time without a follow-up has run out, by the rules (`server rules`) and its new grade. Devices return their own customers at each sync; run this as a daily scheduled job, as an administrator. --dry-run changes nothing and says what it would do.</source>
        <translation>按最近 12 个月的回款把每个客户分为 A、B、C 级（经理固定的等级保持不变），然后按规则（`server rules`）和新等级，把每个未跟进时间已到期的客户退回公海。设备在每次同步时退回自己的客户；请以管理员身份把本命令设为每日定时任务。--dry-run 不做任何更改，只说明将做什么。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>say what would change, change nothing</source>
        <translation>说明将改变什么，不做任何更改</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>let a clerk enter records for a rep until a date (or extend it)</source>
        <translation>允许录入员在某日之前代销售录入记录（或延长期限）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Let a clerk see and enter the rep&apos;s records, on the rep&apos;s behalf, until the end of the given day: today at the earliest, at most a year ahead. Running it again changes the date.</source>
        <translation>允许录入员代销售查看和录入其记录，直到给定日期结束：最早为今天，最多一年后。再次运行会更改日期。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+21"/>
        <source>the clerk&apos;s login</source>
        <translation>录入员的登录名</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+22"/>
        <source>the rep&apos;s login</source>
        <translation>销售的登录名</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>the last day</source>
        <translation>最后一天</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>end a clerk&apos;s grace period for a rep now</source>
        <translation>立即结束录入员对某销售的宽限期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End a clerk&apos;s access to a rep&apos;s records now; his devices lose them at their next sync, and a change he makes after this is refused.</source>
        <translation>立即结束录入员对某销售记录的访问；他的设备在下次同步时失去这些记录，此后他所做的更改会被拒绝。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>give everything a leaving user owns to another user</source>
        <translation>把离职用户拥有的一切交给另一位用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move a user&apos;s customers, open opportunities and open tasks to another user in one transaction, recorded in each customer&apos;s history as a handover. --dry-run only counts them.</source>
        <translation>在一个事务中把用户的客户、进行中的商机和未完成的任务移交给另一位用户，并在每个客户的历史中记为交接。--dry-run 只统计数量。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>who leaves</source>
        <translation>离职的人</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>who takes over</source>
        <translation>接手的人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>count, change nothing</source>
        <translation>只统计，不做更改</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>show or change the public pool&apos;s rules</source>
        <translation>查看或更改公海规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the rules for returning customers to the public pool and for claiming them, or change one (administrators only).</source>
        <translation>查看客户退回公海和认领客户的规则，或更改其中一条（仅限管理员）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>change one rule</source>
        <translation>更改一条规则</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change one rule. A per-grade override (pool_return_days_A, _B, _C) is cleared with the value &apos;none&apos;.</source>
        <translation>更改一条规则。按等级的单独设置（pool_return_days_A、_B、_C）用值 &apos;none&apos; 清除。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a whole number (or &apos;none&apos;)</source>
        <translation>一个整数（或 &apos;none&apos;）</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>show or change the company letterhead that quotes print</source>
        <translation>查看或更改报价单打印的公司抬头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the company letterhead (name, address, phone, email, website, tax number and logo) that quotes printed as PDF carry, or change it (administrators only). Every device gets it at its next sync.</source>
        <translation>查看以 PDF 打印的报价单所带的公司抬头（名称、地址、电话、邮箱、网站、税号和标志），或更改它（仅限管理员）。每台设备在下次同步时获得它。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>change the letterhead</source>
        <translation>更改抬头</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the fields given; the others stay as they are. An empty value clears a field (--name &quot;&quot; leaves quotes without a letterhead).</source>
        <translation>更改给出的字段；其他字段保持不变。空值会清除字段（--name &quot;&quot; 让报价单不带抬头）。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>a PNG or JPEG image of at most 512 KiB</source>
        <translation>一张不超过 512 KiB 的 PNG 或 JPEG 图片</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>print quotes without a logo</source>
        <translation>打印不带标志的报价单</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>add an office (not live until switched on)</source>
        <translation>添加分公司（切换上线前不生效）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add an office, at the top of the tree or under another office. Its users can log in but see nothing until it is live (--live, or later `server office NAME --live`), so the company can start one office at a time.</source>
        <translation>添加分公司，位于最顶层或另一分公司之下。其用户可以登录，但在它上线之前什么也看不到（--live，或之后用 `server office NAME --live`），这样公司可以一次推广一个分公司。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+19"/>
        <source>the office&apos;s name</source>
        <translation>分公司的名称</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>the office it belongs under</source>
        <translation>它所属的上级分公司</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>live at once</source>
        <translation>立即上线</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>switch an office live or not, or move it under another office</source>
        <translation>让分公司上线或暂不上线，或把它移到另一分公司之下</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Switch an office live (its users start working at their next sync) or not yet live (they see nothing; their devices keep what they have), or move it under another office.</source>
        <translation>让分公司上线（其用户在下次同步时开始工作）或暂不上线（他们什么也看不到；他们的设备保留已有内容），或把它移到另一分公司之下。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>live</source>
        <translation>上线</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>not yet live</source>
        <translation>暂不上线</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>move it under this office</source>
        <translation>把它移到这个分公司之下</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>show the offices: the tree, which are live, how many users each has</source>
        <translation>显示分公司：层级、哪些已上线、各有多少用户</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>List the offices as a tree, each with whether it is live and how many active users work there.</source>
        <translation>以层级列出分公司，每个都注明是否上线以及有多少在职用户在那里工作。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>put a user in an office (or back in the head office)</source>
        <translation>把用户放到一个分公司（或放回总部）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put an existing user in an office, or with --no-office back in the head office. What he sees follows at his next sync.</source>
        <translation>把已有用户放到一个分公司，或用 --no-office 放回总部。他能看到的内容在其下次同步时随之改变。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the office he works in from now</source>
        <translation>他从现在起工作的分公司</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the head office</source>
        <translation>总部</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Note: “{login}” works at {office}, which is not live yet: he can neither sync nor see what he receives until it is (`server office &quot;{office}&quot; --live`).</source>
        <translation>注意：“{login}”所在的{office}尚未上线：上线之前，他既不能同步，也看不到移交给他的内容（`server office &quot;{office}&quot; --live`）。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/server_maintenance.py" line="+32"/>
        <source>Roles (users&apos; logins and passwords) are not in the file: pg_dump never carries them. Keep them apart with `pg_dumpall --roles-only` (run by the database administrator), or add the users again with `server add-user` after restoring onto another server.</source>
        <translation>角色（用户的登录名和密码）不在文件中：pg_dump 从不包含它们。请用 `pg_dumpall --roles-only`（由数据库管理员运行）另行保存，或在恢复到另一台服务器后用 `server add-user` 重新添加用户。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{what} {roles}</source>
        <translation>{what}{roles}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>back the CRM database up into one file (pg_dump)</source>
        <translation>把 CRM 数据库备份到一个文件（pg_dump）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the whole CRM database into one file in pg_dump&apos;s custom format, as the admin role that owns it.</source>
        <translation>以拥有它的管理员角色，把整个 CRM 数据库写入一个 pg_dump 自定义格式的文件。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the file (or a folder for it)</source>
        <translation>文件（或存放它的文件夹）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>put a backup in place of the CRM database</source>
        <translation>用备份替换 CRM 数据库</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restore a file made by `server backup` into an empty database, or in place of the CRM database (backed up first; asked at a terminal, --yes otherwise), in one transaction. Database privileges and the group roles are applied again and the schema upgraded to this program&apos;s. Every device downloads everything again at its next sync, after sending the changes it still holds.</source>
        <translation>把 `server backup` 生成的文件恢复到一个空数据库，或替换 CRM 数据库（先备份；在终端中会询问，否则需 --yes），在一个事务中完成。数据库权限和组角色会重新应用，数据库结构升级到本程序的版本。每台设备在发送完仍持有的更改后，会在下次同步时重新下载全部数据。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a file made by server backup</source>
        <translation>由 server backup 生成的文件</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>replace a database holding a CRM without asking</source>
        <translation>不询问即替换已有 CRM 的数据库</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>where the copy of the replaced database goes (default: FILE&apos;s folder)</source>
        <translation>被替换数据库的副本存放位置（默认：FILE 所在的文件夹）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>schema version, users, devices and their last sync, change log, rules</source>
        <translation>数据库结构版本、用户、设备及其最近同步、变更日志、规则</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the server&apos;s schema version, its users by role, each device and when it last synced, the change log&apos;s size and the rules in force.</source>
        <translation>显示服务器的数据库结构版本、按角色分的用户、每台设备及其最近同步时间、变更日志的大小和生效的规则。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>back the server up, then upgrade its schema to this program&apos;s</source>
        <translation>先备份服务器，再把其数据库结构升级到本程序的版本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back the CRM database up (as `server backup`), then upgrade its schema to this version of the program, in one transaction. A server already up to date is left alone. Devices of an older version are told to update; what they hold is kept.</source>
        <translation>先备份 CRM 数据库（同 `server backup`），再在一个事务中把其数据库结构升级到本程序的这个版本。已是最新的服务器保持不动。旧版本的设备会被告知更新；它们持有的内容会保留。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>where the backup goes (default: the current folder)</source>
        <translation>备份存放位置（默认：当前文件夹）</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/sync_.py" line="+20"/>
        <source>send local changes to the server and bring everyone else&apos;s</source>
        <translation>把本机更改发送到服务器，并取回其他人的更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Push the changes made on this device, then pull what changed on the server. Exits 0, or 1 with one sentence saying what went wrong.</source>
        <translation>先推送本设备上做的更改，再拉取服务器上的变化。退出码为 0；出错时为 1，并用一句话说明问题。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="+40"/>
        <source>list what is due today</source>
        <translation>列出今天到期的事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List your open tasks overdue or due today, customers whose next step is due, and customers returning to the public pool within the warning days, soonest first (each part&apos;s first 100, with how many there are).</source>
        <translation>列出您逾期或今天到期的未完成任务、下一步已到期的客户，以及在提醒天数内将退回公海的客户，最早的在前（每部分前 100 条，并给出总数）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a JSON object, one list per part</source>
        <translation>一个 JSON 对象，每部分一个列表</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/values.py" line="+19"/>
        <source>“{text}” is not a whole number</source>
        <translation>“{text}”不是整数</translation>
    </message>
</context>
<context>
    <name>ConflictsView</name>
    <message>
        <location filename="../../crm_desktop/views/conflict_text.py" line="+29"/>
        <source>The server did not accept your change to this {what}: {reason}</source>
        <translation>服务器没有接受您对{what}的修改：{reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The {what} was deleted meanwhile; your {field} “{lost}” was not saved.</source>
        <translation>{what}在此期间已被删除；您填写的{field}“{lost}”没有保存。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{kind} “{name}”</source>
        <translation>{kind}“{name}”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a record not on this computer</source>
        <translation>本机没有的一条记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You deleted the {what} after {who} had changed it, or something of it this computer had not received yet; restore it to bring back their work.</source>
        <translation>您删除{what}时，{who} 已经修改过它，或修改过它下面这台电脑还没收到的记录；恢复它即可找回对方的内容。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You deleted the {what} after the server had changed it; restore it to bring back that change.</source>
        <translation>您删除{what}之前，服务器已经改动过它；恢复它就能找回那次改动。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field} of this {what} was changed by someone else first: “{kept}” was kept, your “{lost}” was not.</source>
        <translation>{what}的{field}已先被别人修改：保留了“{kept}”，您的“{lost}”没有采用。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The {what} points at a record you cannot see ({target}); that link was left out on this computer (the server keeps it).</source>
        <translation>该{what}指向一条您无权查看的记录（{target}）；本机上已省略这个关联（服务器上仍保留）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The {what} belongs to a record you cannot see ({target}); it was left off this computer (the server keeps it).</source>
        <translation>该{what}属于一条您无权查看的记录（{target}）；本机上未保存它（服务器上仍保留）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server did not accept your change to this {what}: your time entering records for {rep} ended on {until}. Ask your administrator to extend it, or give the change to {rep}.</source>
        <translation>服务器没有接受您对{what}的修改：您替 {rep} 录入资料的期限已于 {until} 结束。请让管理员延长期限，或把这项修改交给 {rep}。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The server did not accept your change to this {what}: it was part of a merge of a record someone had already merged into another one, so none of that merge was made.</source>
        <translation>服务器没有接受您对{what}的修改：它属于一次合并，而被合并的记录已由他人合并到另一条记录中，因此这次合并没有执行。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not saved: {values}.</source>
        <translation>没有保存的内容：{values}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: {value}</source>
        <translation>{field}：{value}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{sentence}.</source>
        <translation>{sentence}。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its customer was deleted meanwhile (restore the customer to enter it again)</source>
        <translation>它所属的客户已在这期间被删除（恢复该客户后可重新录入）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>someone else claimed this customer from the pool first</source>
        <translation>这个公海客户已先被别人领取</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>you may not see this record on the server (it was deleted there, or is not yours any more)</source>
        <translation>您在服务器上已经看不到这条记录（它在服务器上被删除了，或者已经不归您）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>you may not change this record</source>
        <translation>您无权修改这条记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>this customer is in the public pool: claim it first (Claim, on its page), then change it</source>
        <translation>这个客户在公海中：请先领取（在它的页面上点“领取”），再修改</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a clerk may not give a customer to someone else; ask a manager to assign it</source>
        <translation>文员不能把客户交给别人；请让经理分配</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>your manager keeps this customer with you (locked): only a manager or an administrator may release it</source>
        <translation>您的经理已把这个客户锁定在您名下：只有经理或管理员可以把它退回公海</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>only a manager or an administrator may lock a customer with its owner</source>
        <translation>只有经理或管理员可以把客户锁定给负责人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>only a manager or an administrator may fix a customer&apos;s grade</source>
        <translation>只有经理或管理员可以手动确定客户等级</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>grades are computed on the server; only an administrator sets them</source>
        <translation>等级由服务器计算；只有管理员可以设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>someone else claimed this customer from the pool before this follow-up reached the server</source>
        <translation>在这条跟进到达服务器之前，别人已从公海领取了这个客户</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a note can only be about a customer you see</source>
        <translation>留言只能关于您能看到的客户</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a note that was read can no longer be changed, only deleted</source>
        <translation>已读的留言不能再修改，只能删除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a customer can only be merged into one you may change, and that is not deleted</source>
        <translation>客户只能合并到您可以修改、且未删除的客户中</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a customer can only be merged into one you see, and that is not deleted</source>
        <translation>客户只能合并到您能看到、且未删除的客户中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a contact can only be merged into another of the same customer, not deleted</source>
        <translation>联系人只能合并到同一客户下另一个未删除的联系人中</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server&apos;s access rules do not let you save it so (a record for a customer that is not yours, say, or someone you do not enter records for)</source>
        <translation>服务器的访问规则不允许这样保存（例如为不属于您的客户建的记录，或为您不负责代录的人建的记录）</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/conflicts_view.py" line="+67"/>
        <location line="+116"/>
        <location line="+28"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="-136"/>
        <source>When the same thing was changed in two places, the change that reached the server first was kept. Nothing was thrown away: your values are listed here.</source>
        <translation>同一内容在两处被修改时，先到达服务器的修改会被保留。没有任何内容被丢弃：您的值都列在这里。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep all as they are…</source>
        <translation>全部保持现状…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Use my value</source>
        <translation>用我的值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restore the record</source>
        <translation>恢复这条记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy my values</source>
        <translation>复制我填的内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep as it is</source>
        <translation>保持现状</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Your values are on the clipboard.</source>
        <translation>您填的内容已复制到剪贴板。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The values you typed were not saved anywhere, and will no longer be listed here. Stop listing them?</source>
        <translation>您填的这些内容没有保存在任何地方，之后这里也不再列出。确定不再列出吗？</translation>
    </message>
    <message numerus="yes">
        <location line="+28"/>
        <source>Settle %n conflict(s) by keeping the records as they are now? Your values there will no longer be offered. Refused changes whose values you typed, and deleted records you can restore, stay listed.</source>
        <translation>
            <numerusform>按记录现在的样子了结这 %n 个冲突吗？这些冲突里您的值将不再提供。服务器拒绝、且有您填写内容的修改，以及可以恢复的已删除记录，仍会保留在列表中。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/conflicts.py" line="+19"/>
        <location filename="../../crm_desktop/views/conflicts_view.py" line="-77"/>
        <source>No conflicts.</source>
        <translation>没有冲突。</translation>
    </message>
</context>
<context>
    <name>ConnectCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/connect.py" line="+12"/>
        <source>Password: </source>
        <translation>密码：</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Connected as {user}. {waiting}</source>
        <translation>已以 {user} 的身份连接。{waiting}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Connected as {user}. Run `crm-desktop sync` to bring the data.</source>
        <translation>已以 {user} 的身份连接。运行 `crm-desktop sync` 取回数据。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The connection is not encrypted: use it only on a network you trust.</source>
        <translation>此连接未加密：只能在您信任的网络中使用。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No system keyring here: the password was not saved. Set PGPASSWORD or put it in ~/.pgpass (libpq&apos;s own password file) for later syncs.</source>
        <translation>这台电脑没有系统密钥环：密码没有保存。以后同步时，请设置 PGPASSWORD，或把密码写进 ~/.pgpass（libpq 自己的密码文件）。</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../../crm_desktop/views/connect_dialog.py" line="+207"/>
        <source>Connect to the server</source>
        <translation>连接服务器</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>The server&apos;s name or address, with its port and database if they are not the usual ones: crm.example.com, crm.example.com:5433/crm, [::1]:5432. Without a database, crm is used. A postgresql:// address works too.</source>
        <translation>服务器的名称或地址；端口或数据库不是通常的那个时请一并写上：crm.example.com、crm.example.com:5433/crm、[::1]:5432。未写数据库时使用 crm。也可以使用 postgresql:// 地址。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+20"/>
        <source>Connect without encryption</source>
        <translation>不加密连接</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Only on a network you trust: the password and the data travel in clear.</source>
        <translation>仅限可信网络：密码和数据将以明文传输。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+39"/>
        <source>CA certificate file</source>
        <translation>CA 证书文件</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Fill in the server address and your user name.</source>
        <translation>请填写服务器地址和您的用户名。</translation>
    </message>
    <message>
        <location line="+74"/>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="+377"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
</context>
<context>
    <name>ContractPage</name>
    <message>
        <location filename="../../crm_desktop/views/contract_page.py" line="+64"/>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Edit contract</source>
        <translation>编辑合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add instalment</source>
        <translation>添加分期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record a payment</source>
        <translation>登记回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open customer</source>
        <translation>打开客户</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Delete selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Payments received</source>
        <translation>已收回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payment plan</source>
        <translation>回款计划</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>This contract was deleted.</source>
        <translation>这份合同已被删除。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Contract %1</source>
        <translation>合同 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contract %1 · %2</source>
        <translation>合同 %1 · %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>renewal: %1</source>
        <translation>续约：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>renews %1</source>
        <translation>续签自 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>renewed by %1</source>
        <translation>已由 %1 续签</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Plan: %1</source>
        <translation>计划：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount (no plan): %1</source>
        <translation>金额（无分期计划）：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paid: %1</source>
        <translation>已回款：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outstanding: %1</source>
        <translation>未回款：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue: %1</source>
        <translation>逾期：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(since %1)</source>
        <translation>（自 %1 起）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A draft: nothing of it is owed or overdue until its status is Active (signed).</source>
        <translation>这是草稿：状态改为“生效中”（已签订）之前，不计入未回款，也不算逾期。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of what is paid is dated after today.</source>
        <translation>已回款中有 %1 的回款日期在今天之后。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The plan&apos;s instalments add up to %1, not the contract&apos;s amount %2.</source>
        <translation>分期合计 %1，与合同金额 %2 不一致。</translation>
    </message>
</context>
<context>
    <name>CustomerPage</name>
    <message>
        <location filename="../../crm_desktop/views/customer_page.py" line="+100"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Locked with its owner: never returns to the pool</source>
        <translation>已锁定给负责人：不会退回公海</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log a follow-up</source>
        <translation>写跟进</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add opportunity</source>
        <translation>添加商机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add task</source>
        <translation>添加任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add contract</source>
        <translation>添加合同</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Record a payment</source>
        <translation>登记回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send a note…</source>
        <translation>发留言…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Fix grade…</source>
        <translation>锁定等级…</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>The customer&apos;s profile to print before a visit: details, contacts, open opportunities, the last follow-ups and contracts</source>
        <translation>拜访前打印的客户档案：基本信息、联系人、进行中的商机、最近的跟进和合同</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a contact, opportunity, task or contract</source>
        <translation>添加联系人、商机、任务或合同</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Details</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Follow-up timeline</source>
        <translation>跟进记录时间线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups</source>
        <translation>跟进记录</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Ownership history</source>
        <translation>归属记录</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opportunities</source>
        <translation>商机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payments</source>
        <translation>回款</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+3"/>
        <source>This customer was deleted.</source>
        <translation>该客户已被删除。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This customer is in the public pool: claim it first, then change it.</source>
        <translation>这个客户在公海中：请先领取，再修改。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>not graded</source>
        <translation>未分级</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, fixed by hand</source>
        <translation>%1，人工锁定</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Grade: %1 · Owner: %2</source>
        <translation>等级：%1 · 负责人：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>entered by %1 for %2</source>
        <translation>由 %1 代 %2 录入</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Paid in the last 12 months: %1 · Outstanding: %2 · Overdue: %3</source>
        <translation>近 12 个月回款：%1 · 未回款：%2 · 逾期：%3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> · Paid for no contract: %1</source>
        <translation> · 未对应合同的回款：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Returns to the public pool on %1 unless followed up before</source>
        <translation>如在 %1 之前没有跟进，将退回公海</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No ownership history on this computer yet.</source>
        <translation>这台电脑上还没有归属记录。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>someone</source>
        <translation>某人</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Entered into the public pool by %1</source>
        <translation>由 %1 录入公海</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entered by %1 for %3</source>
        <translation>由 %1 替 %3 录入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entered by %1</source>
        <translation>由 %1 录入</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Claimed from the public pool by %3</source>
        <translation>%3 从公海领取</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Moved to the public pool from %2 by %1</source>
        <translation>由 %1 从 %2 处移入公海</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Released to the public pool by %2</source>
        <translation>%2 放回公海</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Returned to the public pool from %2: not followed up in time</source>
        <translation>从 %2 退回公海：未按时跟进</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Handed over from %2 to %3 by %1</source>
        <translation>%1 把客户从 %2 移交给 %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Grade changed by %1</source>
        <translation>等级由 %1 修改</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Graded by value (what it paid in the last 12 months)</source>
        <translation>按价值评级（近 12 个月的回款）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Another customer merged into this one by %1</source>
        <translation>%1 将另一个客户合并到了这个客户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Given back to %3 for a follow-up made in time</source>
        <translation>因按时跟进，归还给 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Given by %1 to %3 from the public pool</source>
        <translation>%1 从公海分配给 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Given by %1 to %3 (from %2)</source>
        <translation>%1 分配给 %3（原负责人 %2）</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>logged by %1 for %2</source>
        <translation>%1 替 %2 记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>logged by %1</source>
        <translation>%1 记录</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>a follow-up of {when} was logged before the customer returned to the pool</source>
        <translation>{when} 的一条跟进发生在客户退回公海之前</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>handed over from {leaver} to {receiver}</source>
        <translation>由 {leaver} 移交给 {receiver}</translation>
    </message>
    <message>
        <location filename="extra_sources.py" line="-28"/>
        <source>No follow-ups yet.</source>
        <translation>暂无跟进记录。</translation>
    </message>
</context>
<context>
    <name>CustomerPicker</name>
    <message>
        <location filename="../../crm_desktop/views/customer_picker.py" line="+43"/>
        <source>Type a name, phone or number, then choose the customer</source>
        <translation>输入名称、电话或号码，再选择客户</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>entered %1</source>
        <translation>录入于 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No customer matches “%1”.</source>
        <translation>没有与“%1”相符的客户。</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../../crm_desktop/views/dashboard_view.py" line="+91"/>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This quarter</source>
        <translation>本季度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From … to …</source>
        <translation>自定义起止日期</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Whose records</source>
        <translation>谁的记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+47"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Any grade</source>
        <translation>所有等级</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+340"/>
        <source>No grade</source>
        <translation>无等级</translation>
    </message>
    <message>
        <location line="-337"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+185"/>
        <source>Any industry</source>
        <translation>所有行业</translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pipeline as PDF…</source>
        <translation>销售漏斗导出 PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The open pipeline and the forecast for the period, as a PDF</source>
        <translation>把进行中的销售漏斗和本期预测导出为 PDF</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Pipeline by stage (open opportunities)</source>
        <translation>各阶段销售漏斗（进行中的商机）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pipeline</source>
        <translation>销售漏斗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forecast by month of expected close</source>
        <translation>按预计成交月份的预测</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Forecast</source>
        <translation>预测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Won and lost per month</source>
        <translation>每月赢单与输单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Won and lost</source>
        <translation>赢单与输单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grade mix (customers; share of a year&apos;s payments)</source>
        <translation>客户等级构成（客户数；一年回款占比）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activity per week</source>
        <translation>每周工作量</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Activity</source>
        <translation>工作量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activity per person in the period</source>
        <translation>期间内每人工作量</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Customers without a follow-up, by owner</source>
        <translation>未跟进的客户（按负责人）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Without a follow-up</source>
        <translation>未跟进</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Returning to the public pool soon, by owner</source>
        <translation>即将退回公海的客户（按负责人）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returning to the pool</source>
        <translation>即将退回公海</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Contracts ending per month, renewed or not</source>
        <translation>每月到期的合同（含已续约与不续约的）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts ending</source>
        <translation>到期合同</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Money overdue by owner</source>
        <translation>逾期应收（按负责人）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Money overdue</source>
        <translation>逾期应收</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>pipeline.pdf</source>
        <translation>销售漏斗.pdf</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>My team</source>
        <translation>我的团队</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+23"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+23"/>
        <source>Weighted by probability</source>
        <translation>按成交概率加权</translation>
    </message>
    <message numerus="yes">
        <location line="-12"/>
        <source>%n open opportunities: {amount}, weighted {weighted}.</source>
        <translation>
            <numerusform>%n 个进行中的商机：{amount}，加权 {weighted}。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Weighted forecast for the period: {weighted}.</source>
        <translation>本期加权预测：{weighted}。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Won</source>
        <translation>赢单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost</source>
        <translation>输单</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>, </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason} ({count})</source>
        <translation>{reason}（{count}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no reason given</source>
        <translation>未填原因</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Won {won}, lost {lost}.</source>
        <translation>赢单 {won} 个，输单 {lost} 个。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Main loss reasons: {reasons}.</source>
        <translation>主要输单原因：{reasons}。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{grade}: {count}, {share}% of value</source>
        <translation>{grade}：{count} 个，占价值 {share}%</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A year&apos;s payments: {value}.</source>
        <translation>一年回款：{value}。</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Follow-ups</source>
        <translation>跟进</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New customers</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks done</source>
        <translation>完成任务</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Others</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>30–59 days</source>
        <translation>30–59 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>60–89 days</source>
        <translation>60–89 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>90 days or more</source>
        <translation>90 天以上</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n customer(s) without a follow-up for 30 days or more.</source>
        <translation>
            <numerusform>%n 个客户已 30 天以上未跟进。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n customer(s) return to the pool within {days} days unless followed up.</source>
        <translation>
            <numerusform>%n 个客户如不跟进将在 {days} 天内退回公海。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contracts</source>
        <translation>合同</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n contract(s) worth {amount} end in the period.</source>
        <translation>
            <numerusform>本期有 %n 份合同到期，金额 {amount}。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>{amount} overdue from %n customer(s).</source>
        <translation>
            <numerusform>%n 个客户逾期 {amount}。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DateEdit</name>
    <message>
        <location filename="../../crm_desktop/views/date_edit.py" line="+89"/>
        <source>No date</source>
        <translation>无日期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a date year first, like 2026-01-05 or 2026年1月5日</source>
        <translation>请先写年份，例如 2026-01-05 或 2026年1月5日</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a date year first, with a time if you like: 2026-01-05 09:30</source>
        <translation>请先写年份，可加时间：2026-01-05 09:30</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>Pick a date</source>
        <translation>选择日期</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tomorrow</source>
        <translation>明天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next week</source>
        <translation>下周</translation>
    </message>
</context>
<context>
    <name>DemoCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/demo.py" line="+12"/>
        <source>The demo makes at most 1,000,000 customers at a time.</source>
        <translation>演示数据一次最多生成 1,000,000 个客户。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Made with --seed {seed}: this profile holds the demo data of the seeds before it already.</source>
        <translation>已用 --seed {seed} 生成：这个数据档案中已经有之前种子的演示数据。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>This profile holds the demo data of --seed {seed} already; give another --seed, or leave it out for the next one it does not hold.</source>
        <translation>这个数据档案中已经有 --seed {seed} 的演示数据；请换一个 --seed，或者不写它，程序会用下一个还没用过的。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Added demo data: {customers} customers, {contacts} contacts, {opportunities} opportunities, {tasks} tasks, {followups} followups, {contracts} contracts, {instalments} instalments, {payments} payments, {products} products.</source>
        <translation>已添加演示数据：{customers} 个客户、{contacts} 个联系人、{opportunities} 个商机、{tasks} 个任务、{followups} 条跟进、{contracts} 份合同、{instalments} 期分期、{payments} 笔回款、{products} 个产品。</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="+608"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the skipped rows…</source>
        <translation>保存跳过的行…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+60"/>
        <source>Undo this import</source>
        <translation>撤销这次导入</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why it was skipped</source>
        <translation>跳过原因</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Save the skipped rows</source>
        <translation>保存跳过的行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>skipped rows.csv</source>
        <translation>跳过的行.csv</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Delete the records this import added and put back what it changed? Edits made since to those records are kept.</source>
        <translation>删除这次导入新增的记录，并恢复它改动过的内容吗？之后对这些记录所做的修改会保留。</translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <location filename="../../crm_desktop/duplicates/model.py" line="-17"/>
        <source>Same phone {phone}</source>
        <translation>电话相同 {phone}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same email {email}</source>
        <translation>邮箱相同 {email}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same identifier: {kind} {value}</source>
        <translation>证件号相同：{kind} {value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name in {city}</source>
        <translation>同在{city}，名称基本相同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similar name ({score}%) in {city}</source>
        <translation>同在{city}，名称相似（{score}%）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name</source>
        <translation>名称基本相同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similar name ({score}%)</source>
        <translation>名称相似（{score}%）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name and address</source>
        <translation>姓名和地址相同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same name at the same customer</source>
        <translation>同一客户下姓名相同</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>DuplicatesModel</name>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/duplicates_view.py" line="+238"/>
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n 条记录</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-274"/>
        <source>Possible duplicates</source>
        <translation>可能重复</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>These rows look like records you already have, or like an earlier row of the file. Select rows and choose what happens to them (with none selected, to all).</source>
        <translation>这些行看起来与已有的记录或文件中前面的行相同。选中若干行，再选择如何处理（不选则对全部行）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In the file</source>
        <translation>文件中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Looks like</source>
        <translation>看起来像</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What to do</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose:</source>
        <translation>选择：</translation>
    </message>
</context>
<context>
    <name>DuplicatesView</name>
    <message>
        <location filename="../../crm_desktop/views/duplicates_view.py" line="-166"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+222"/>
        <location line="+35"/>
        <source>Look among</source>
        <translation>查找范围</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Find duplicates</source>
        <translation>查找重复</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Look through all records for the same phone, email or ID number, or a similar name in the same city</source>
        <translation>在全部记录中查找电话、邮箱或证件号相同，或同城名称相似的记录</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Looking for duplicates</source>
        <translation>正在查找重复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Merge a group&apos;s records into one: the whole group, or the records you selected in it</source>
        <translation>把一组记录合并为一条：整组，或您在组中选中的记录</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Likely duplicates</source>
        <translation>可能重复的记录</translation>
    </message>
    <message numerus="yes">
        <location line="+72"/>
        <source>%n group(s) of likely duplicates among customers just received</source>
        <translation>
            <numerusform>刚收到的客户中有 %n 组可能重复</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>None of the customers just received looks like a duplicate any more.</source>
        <translation>刚收到的客户已不再像是重复的。</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+24"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message numerus="yes">
        <location line="+31"/>
        <source>%n group(s) of likely duplicates</source>
        <translation>
            <numerusform>%n 组可能重复的记录</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No likely duplicates found.</source>
        <translation>没有发现可能重复的记录。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Looking for duplicates…</source>
        <translation>正在查找重复…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No two records share a phone, an email or an ID number, and no company names are alike in the same city.</source>
        <translation>没有电话、邮箱或证件号相同的记录，同城也没有名称相似的公司。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Find duplicates looks through all records for the same phone number in any spelling, the same email or ID number, or a similar company name in the same city.</source>
        <translation>“查找重复”会在全部记录中查找电话相同（不论写法）、邮箱或证件号相同，或同城公司名称相似的记录。</translation>
    </message>
</context>
<context>
    <name>Entities</name>
    <message>
        <location filename="../../crm_desktop/models/fields.py" line="+284"/>
        <source>user</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>opportunity line</source>
        <translation>商机明细</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>follow-up</source>
        <translation>跟进记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>work log</source>
        <translation>工作日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>comment</source>
        <translation>评论</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>note</source>
        <translation>留言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>instalment</source>
        <translation>分期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>payment</source>
        <translation>回款</translation>
    </message>
</context>
<context>
    <name>ExportCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="+18"/>
        <source>An Excel export needs a file: add --out FILE.xlsx.</source>
        <translation>导出 Excel 需要一个文件：请加上 --out 文件名.xlsx。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Could not write {path}: the pipe was closed.</source>
        <translation>无法写入 {path}：管道已关闭。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>standard output</source>
        <translation>标准输出</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Exported {count} {entity} records to {path}.</source>
        <translation>已将 {count} 条{entity}记录导出到 {path}。</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <location filename="../../crm_desktop/views/field_editors.py" line="+160"/>
        <location line="+1"/>
        <source>Clear the date</source>
        <translation>清除日期</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../../crm_desktop/models/fields.py" line="-221"/>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+42"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manager</source>
        <translation>上级</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+48"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="-44"/>
        <source>Short name</source>
        <translation>简称</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+21"/>
        <location line="+77"/>
        <location line="+43"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="-140"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+28"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Other phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+28"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Website</source>
        <translation>网址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+50"/>
        <location line="+103"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="-152"/>
        <source>Next follow-up</source>
        <translation>下次跟进</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+152"/>
        <location line="+28"/>
        <source>Finance system key</source>
        <translation>财务系统编号</translation>
    </message>
    <message>
        <location line="-179"/>
        <location line="+24"/>
        <location line="+25"/>
        <location line="+30"/>
        <location line="+73"/>
        <location line="+28"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Grade fixed by hand</source>
        <translation>人工锁定等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why the grade is fixed</source>
        <translation>锁定等级的原因</translation>
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
        <translation>客户</translation>
    </message>
    <message>
        <location line="-147"/>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Job title</source>
        <translation>职务</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>WeChat / messaging ID</source>
        <translation>微信号 / 聊天账号</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>List price</source>
        <translation>标准价</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+37"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+47"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+97"/>
        <location line="+22"/>
        <location line="+9"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="-127"/>
        <source>Expected close</source>
        <translation>预计成交日期</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Probability %</source>
        <translation>成交概率（%）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Won/lost reason</source>
        <translation>赢单/输单原因</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+22"/>
        <source>Opportunity</source>
        <translation>商机</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Discount %</source>
        <translation>折扣 %</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Due</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned to</source>
        <translation>执行人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remind me at</source>
        <translation>提醒时间</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was said</source>
        <translation>沟通内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was promised</source>
        <translation>承诺事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next step date</source>
        <translation>下一步日期</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+8"/>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What I did</source>
        <translation>今日工作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tomorrow&apos;s plan</source>
        <translation>明日计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems</source>
        <translation>遇到的问题</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Work log</source>
        <translation>工作日志</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comment</source>
        <translation>评论</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>From</source>
        <translation>发件人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>留言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About customer</source>
        <translation>相关客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About opportunity</source>
        <translation>相关商机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Contract number</source>
        <translation>合同号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From opportunity</source>
        <translation>来源商机</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Starts</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ends</source>
        <translation>到期日期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Renewal</source>
        <translation>续约状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Renewal note</source>
        <translation>续约备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renews contract</source>
        <translation>续签的原合同</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+7"/>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Due on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remarks</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Paid on</source>
        <translation>回款日期</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reference</source>
        <translation>凭证号</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-665"/>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An Excel workbook (.xlsx), a CSV or text file from another program, or business cards (.vcf). Nothing is written until the last step.</source>
        <translation>Excel 工作簿（.xlsx）、其他程序导出的 CSV 或文本文件，或名片（.vcf）。到最后一步之前不会写入任何内容。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The file to import</source>
        <translation>要导入的文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The rows are</source>
        <translation>每行是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Import a file</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 (detected)</source>
        <translation>%1（自动识别）</translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>%n row(s) under a header of %1 column(s).</source>
        <translation>
            <numerusform>共 %n 行，表头有 %1 列。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirstRunStartPage</name>
    <message>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="+71"/>
        <source>What do you want to start with?</source>
        <translation>您想从哪里开始？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Press Finish to open the program.</source>
        <translation>点击“完成”打开程序。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An empty CRM</source>
        <translation>空白的 CRM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import a file I have</source>
        <translation>导入我已有的文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A spreadsheet, a CSV file from another program, or business cards.</source>
        <translation>电子表格、其他程序导出的 CSV 文件，或名片。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demo data to try things out</source>
        <translation>用演示数据试一试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adding demo customers…</source>
        <translation>正在添加演示客户…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Not with a company server: demo customers must never reach it.</source>
        <translation>连接公司服务器时不可用：演示客户绝不能进入服务器。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not offered: you already have customers.</source>
        <translation>不可用：您已经有客户了。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>About {count} made-up customers, only on this computer.</source>
        <translation>约 {count} 个虚构客户，只保存在这台电脑上。</translation>
    </message>
</context>
<context>
    <name>FirstRunWelcomePage</name>
    <message>
        <location line="-278"/>
        <source>Welcome to CRM Desktop</source>
        <translation>欢迎使用 CRM Desktop</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Three questions, and you can start.</source>
        <translation>回答三个问题即可开始。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your name:</source>
        <translation>您的姓名：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your name comes from your company&apos;s server; your administrator sets it.</source>
        <translation>您的姓名来自公司服务器，由管理员设置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your full name, as your colleagues know you. It is shown on the customers, tasks and notes you add.</source>
        <translation>您的全名，同事认识您的名字。它会显示在您添加的客户、任务和留言上。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Type your name.</source>
        <translation>请输入您的姓名。</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location line="+296"/>
        <source>Welcome to CRM Desktop</source>
        <translation>欢迎使用 CRM Desktop</translation>
    </message>
</context>
<context>
    <name>FirstRunWorkPage</name>
    <message>
        <location line="-225"/>
        <source>How will you work?</source>
        <translation>您将如何使用？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You can connect to a server later too, from the Server menu.</source>
        <translation>以后也可以从“服务器”菜单连接服务器。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work on this computer only</source>
        <translation>只在这台电脑上使用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your customers stay on this computer. Nothing else to set up.</source>
        <translation>您的客户只保存在这台电脑上，无需其他设置。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect to our company server</source>
        <translation>连接公司服务器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your administrator gives you the server&apos;s address, your user name and password.</source>
        <translation>管理员会告诉您服务器地址、用户名和密码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Security options</source>
        <translation>安全选项</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>The server answered: your user name and password are right.</source>
        <translation>服务器已响应：您的用户名和密码正确。</translation>
    </message>
</context>
<context>
    <name>GradeDialog</name>
    <message>
        <location filename="../../crm_desktop/views/grade_dialog.py" line="+43"/>
        <source>Fix the grade of %1</source>
        <translation>锁定 %1 的等级</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grades are computed from what customers paid in the last 12 months. A grade fixed here stays as it is until you let it be computed again.</source>
        <translation>等级按客户近 12 个月的回款自动计算。在这里锁定的等级会保持不变，直到您让它重新计算。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Why, for whoever reads it later</source>
        <translation>原因，方便以后查看的人了解</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fix this grade</source>
        <translation>锁定这个等级</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Compute it again</source>
        <translation>重新自动计算</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Say why the grade is fixed; a manager reading it later will ask.</source>
        <translation>请写明锁定等级的原因；以后查看的经理会问。</translation>
    </message>
</context>
<context>
    <name>GradeFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="+50"/>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any grade</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No grade</source>
        <translation>未分级</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <location filename="../../crm_desktop/views/handover_dialog.py" line="+53"/>
        <source>Hand over a leaving rep&apos;s customers</source>
        <translation>移交离职业务员的客户</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Everything the leaving user owns moves to the one taking over: his customers, his open opportunities, his open tasks and the contracts still to see to (running, or ended with the renewal not decided). Closed deals, done tasks and settled contracts stay as they were.</source>
        <translation>离开的人名下的一切都转给接手的人：他的客户、未结束的商机、未完成的任务，以及还需要跟进的合同（进行中的，或已到期但续约尚未决定的）。已结束的商机、已完成的任务和已处理完的合同保持不变。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Leaving:</source>
        <translation>离开的人：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taking over:</source>
        <translation>接手的人：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reading your team…</source>
        <translation>正在读取您的团队…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Count what would move; nothing moves yet</source>
        <translation>统计将要移交的内容；现在还不会移交</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hand over</source>
        <translation>移交</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 (deactivated)</source>
        <translation>%1（已停用）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your device knows nobody whose customers you may hand over; sync first.</source>
        <translation>这台电脑上没有您可以移交其客户的人；请先同步。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose who leaves and who takes over, then Preview.</source>
        <translation>选择离开的人和接手的人，然后点“预览”。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1, %2, %3 and %4</source>
        <translation>%1、%2、%3 和 %4</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n open opportunity(ies)</source>
        <translation>
            <numerusform>%n 个未结束的商机</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n open task(s)</source>
        <translation>
            <numerusform>%n 个未完成的任务</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n running contract(s)</source>
        <translation>
            <numerusform>%n 份未结束的合同</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 works at %2, which is not live yet: he can neither sync nor see what he receives until an administrator switches it live.</source>
        <translation>%1 所在的%2尚未上线：在管理员让它上线之前，他既不能同步，也看不到移交给他的内容。</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>%1 %2</source>
        <comment>two sentences in a row</comment>
        <translation>%1%2</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>Asking the server…</source>
        <translation>正在询问服务器…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has nothing you may hand over.</source>
        <translation>%1 名下没有您可以移交的内容。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 would move from %2 to %3. Hand over to move it now.</source>
        <translation>将从 %2 移交给 %3：%1。点“移交”立即执行。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Handing over…</source>
        <translation>正在移交…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Handed over %1 from %2 to %3.</source>
        <translation>已把 %1 从 %2 移交给 %3。</translation>
    </message>
</context>
<context>
    <name>IdentifierTable</name>
    <message>
        <location filename="../../crm_desktop/views/record_form.py" line="+147"/>
        <source>Identifiers</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Number</source>
        <translation>号码</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="-218"/>
        <source>Spreadsheets, CSV and business cards (*.xlsx *.csv *.txt *.vcf *.vcard);;All files (*)</source>
        <translation>表格、CSV 和名片 (*.xlsx *.csv *.txt *.vcf *.vcard);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+236"/>
        <source>UTF-8 with BOM</source>
        <translation>UTF-8（带 BOM）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Chinese, Simplified (GBK/GB18030)</source>
        <translation>简体中文（GBK/GB18030）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chinese, Traditional (Big5)</source>
        <translation>繁体中文（Big5）</translation>
    </message>
    <message>
        <location line="+403"/>
        <source>Skip this row</source>
        <translation>跳过这一行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Update the record: fill its empty fields</source>
        <translation>更新已有记录：只填空白字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Update the record: overwrite it</source>
        <translation>更新已有记录：全部覆盖</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add it anyway</source>
        <translation>仍然新增</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fill empty fields</source>
        <translation>填空白字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite</source>
        <translation>覆盖</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add anyway</source>
        <translation>仍然新增</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>ImportsDialog</name>
    <message>
        <location filename="../../crm_desktop/views/imports_dialog.py" line="+49"/>
        <source>Recent imports</source>
        <translation>最近的导入</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The imports made on this computer. Undo one to delete the records it added and put back what it changed; edits made since to those records are kept.</source>
        <translation>在这台电脑上做过的导入。撤销某次导入，会删除它添加的记录，并恢复它修改过的内容；之后对这些记录所做的修改会保留。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undone</source>
        <translation>撤销于</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+65"/>
        <source>Undo this import</source>
        <translation>撤销这次导入</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>No import has been made on this computer yet.</source>
        <translation>这台电脑上还没有做过导入。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Delete the records the import of “%1” added and put back what it changed? Edits made since to those records are kept.</source>
        <translation>要删除导入“%1”时添加的记录，并恢复它修改过的内容吗？之后对这些记录所做的修改会保留。</translation>
    </message>
</context>
<context>
    <name>Letterhead</name>
    <message>
        <location filename="../../crm_desktop/sync/server/admin.py" line="+1316"/>
        <source>Company name</source>
        <translation>公司名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Website</source>
        <translation>网址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tax number</source>
        <translation>税号</translation>
    </message>
</context>
<context>
    <name>LetterheadDialog</name>
    <message>
        <location filename="../../crm_desktop/views/letterhead_dialog.py" line="+62"/>
        <source>Company letterhead</source>
        <translation>公司抬头</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quotes printed as PDF carry this header and logo. It is kept on the server and is the same on every computer, which gets it at its next sync.</source>
        <translation>导出为 PDF 的报价单会带上这个抬头和标志。它保存在服务器上，每台电脑在下次同步时得到同样的内容。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Without a name, quotes print no header</source>
        <translation>没有公司名称时，报价单不印抬头</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose logo…</source>
        <translation>选择标志…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A PNG or JPEG image of at most 512 KiB</source>
        <translation>不超过 512 KiB 的 PNG 或 JPEG 图片</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove logo</source>
        <translation>去掉标志</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Logo</source>
        <translation>标志</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reading the letterhead from the server…</source>
        <translation>正在从服务器读取公司抬头…</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Last changed by %1, %2</source>
        <translation>最后由 %1 于 %2 修改</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose the company logo</source>
        <translation>选择公司标志</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images (*.png *.jpg *.jpeg);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reading the logo…</source>
        <translation>正在读取标志…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The logo “%1” is damaged and cannot be shown.</source>
        <translation>标志“%1”已损坏，无法显示。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>No logo</source>
        <translation>无标志</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crm_desktop/views/record_tabs.py" line="+52"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opportunities</source>
        <translation>商机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payments</source>
        <translation>回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location line="+253"/>
        <source>Nothing matches this search or filter. Clear it to see all.</source>
        <translation>没有符合这个搜索或筛选的记录。清除它就能看到全部。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The public pool is empty: no customer is waiting for someone to claim it.</source>
        <translation>公海是空的：没有等待领取的客户。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The customers of the public pool have nothing here.</source>
        <translation>公海客户在这里没有任何记录。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No customers yet. Add one with New customer (Ctrl+N), bring in a list with {import_menu}, or connect to your company&apos;s server (Server menu) to receive yours.</source>
        <translation>还没有客户。点“新建客户”（Ctrl+N）添加一个，用 {import_menu} 导入名单，或者连接公司的服务器（“服务器”菜单）取回您的客户。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No products yet. A manager or an administrator adds them with New product (Ctrl+N); everyone then quotes from the same list and prices.</source>
        <translation>还没有产品。经理或管理员用“新建产品”（Ctrl+N）添加后，大家就按同一份价目表报价。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No contracts yet. Open a customer and choose Add contract, or mark an opportunity won and create its contract from there.</source>
        <translation>还没有合同。打开一个客户选择“添加合同”，或把商机标为赢单后在那里创建合同。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No payments yet. Open a customer or a contract and choose Record a payment.</source>
        <translation>还没有回款。请打开客户或合同，选择“登记回款”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing here yet. Open a customer to add its contacts, opportunities and tasks.</source>
        <translation>这里还什么都没有。打开一个客户，就可以添加它的联系人、商机和任务。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Show all</source>
        <translation>显示全部</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Showing: {what}</source>
        <translation>正在显示：{what}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/search_box.py" line="+22"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Find a customer by name, phone, email or any ID number…</source>
        <translation>按名称、电话、邮箱或任一证件号码查找客户…</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="+554"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="+222"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location line="-146"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/deleting.py" line="+37"/>
        <source>Money received on these payments: {money}.</source>
        <translation>这些回款记录的金额：{money}。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../../crm_desktop/views/record_actions.py" line="+2"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Deleted with them:</source>
        <translation>将一并删除：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{kind}: {count}</source>
        <translation>{kind}：{count}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>({money} received)</source>
        <translation>（已收款 {money}）</translation>
    </message>
    <message>
        <location line="+11"/>
        <location filename="../../crm_desktop/views/record_actions.py" line="+4"/>
        <location line="+318"/>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="-309"/>
        <source>Assign to…</source>
        <translation>分配给…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Give the selected customers to a member of your team</source>
        <translation>把选中的客户交给您团队中的一位成员</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Merge the two selected records of one customer or person into one</source>
        <translation>把选中的两条（同一客户或同一人的）记录合并为一条</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>Nothing to add on this page; to add a record, choose its list on the left.</source>
        <translation>这一页没有可新建的内容；要新建记录，请先在左边选择它所在的列表。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+51"/>
        <source>Only managers and administrators change the product list.</source>
        <translation>只有经理和管理员可以修改产品列表。</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>New product</source>
        <translation>新建产品</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The note was sent.</source>
        <translation>留言已发送。</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Select the customers to assign first.</source>
        <translation>请先选择要分配的客户。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The customers were assigned.</source>
        <translation>客户已分配。</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Select two customers or more, or two contacts or more, to merge.</source>
        <translation>请选择两个或更多客户，或两个或更多联系人，再合并。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Undo merge</source>
        <translation>撤销合并</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/search_box.py" line="+11"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="-376"/>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Forward</source>
        <translation>前进</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Renewals</source>
        <translation>续约</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receivables</source>
        <translation>应收款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find duplicates</source>
        <translation>查找重复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Calendar</source>
        <translation>日程</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+530"/>
        <source>Work log</source>
        <translation>工作日志</translation>
    </message>
    <message>
        <location line="-529"/>
        <source>Team activity</source>
        <translation>团队动态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>{page} — CRM Desktop</source>
        <translation>{page} — CRM Desktop</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CRM Desktop</source>
        <translation>CRM Desktop</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="-125"/>
        <source>Log a call: first choose a line about a customer (in Today or a list), or open the customer.</source>
        <translation>记录通话：请先选中一行与客户有关的内容（在“今天”或列表中），或者打开该客户。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="+220"/>
        <source>Your open tasks whose reminder time has come</source>
        <translation>您的未完成任务中提醒时间已到的</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Your open tasks due by the end of today</source>
        <translation>您今天结束前到期的未完成任务</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log a call</source>
        <translation>记录通话</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A follow-up for the customer of the selected line, now (Ctrl+L)</source>
        <translation>为选中行的客户马上写一条跟进（Ctrl+L）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add customers, contacts or other records from a spreadsheet, CSV or business cards</source>
        <translation>从表格、CSV 或名片导入客户、联系人等记录</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recent imports…</source>
        <translation>最近的导入…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The imports made here, and Undo for any of them</source>
        <translation>在这里做过的导入，每一次都可以撤销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send a note…</source>
        <translation>发留言…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Backups…</source>
        <translation>备份…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About CRM Desktop…</source>
        <translation>关于 CRM Desktop…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>First-run setup…</source>
        <translation>首次使用设置…</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Your work log has text you have not saved. Close and lose it?</source>
        <translation>您的工作日志还有没保存的内容。关闭并丢弃吗？</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An import is running. Stop it and close? Nothing of it will be kept.</source>
        <translation>正在导入。要停止导入并关闭吗？本次导入的内容都不会保留。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/language_menu.py" line="+20"/>
        <location line="+14"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="-104"/>
        <source>New task</source>
        <translation>新建任务</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/main_window.py" line="-47"/>
        <source>Counting…</source>
        <translation>正在计数…</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n record(s)</source>
        <translation>
            <numerusform>共 %n 条记录</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+9"/>
        <source>Delete %n record(s)? You can undo this right after.</source>
        <translation>
            <numerusform>确定删除这 %n 条记录吗？删除后可以马上撤销。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Deleted %n record(s).</source>
        <translation>
            <numerusform>已删除 %n 条记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n of your customers return(s) to the pool within %1 days</source>
        <translation>
            <numerusform>您有 %n 个客户将在 %1 天内（或已到期）退回公海</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n customer(s) just received may be duplicates</source>
        <oldsource>%n customer(s) just received may already be here</oldsource>
        <translation>
            <numerusform>刚收到的 %n 个客户可能有重复</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n record(s) merged into one.</source>
        <translation>
            <numerusform>已将 %n 条记录合并为一条。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/record_actions.py" line="+242"/>
        <source>Restored.</source>
        <translation>已恢复。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/sync_status.py" line="+175"/>
        <source>Sync status</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/server_menu.py" line="+54"/>
        <location line="+29"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Connect to a server…</source>
        <translation>连接服务器…</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>S&amp;erver</source>
        <translation>服务器(&amp;E)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Hand over a leaving rep&apos;s customers…</source>
        <translation>移交离职业务员的客户…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pool rules…</source>
        <translation>公海规则…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Company letterhead…</source>
        <translation>公司抬头…</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/sync_status.py" line="-135"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Sending changes</source>
        <translation>正在发送修改</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Preparing search</source>
        <translation>正在准备搜索</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Receiving users</source>
        <translation>正在接收用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving customers</source>
        <translation>正在接收客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving ID numbers</source>
        <translation>正在接收证件号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving contacts</source>
        <translation>正在接收联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving products</source>
        <translation>正在接收产品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving opportunities</source>
        <translation>正在接收商机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving opportunity lines</source>
        <translation>正在接收商机明细</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving tasks</source>
        <translation>正在接收任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving follow-ups</source>
        <translation>正在接收跟进记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving work logs</source>
        <translation>正在接收工作日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving comments on work logs</source>
        <translation>正在接收日志评论</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving notes</source>
        <translation>正在接收留言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving contracts</source>
        <translation>正在接收合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving payment plans</source>
        <translation>正在接收回款计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving payments</source>
        <translation>正在接收回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receiving ownership history</source>
        <translation>正在接收归属记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{stage}: {done} of {total}</source>
        <translation>{stage}：{done} / {total} 条</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{stage}: {done}</source>
        <translation>{stage}：{done} 条</translation>
    </message>
    <message>
        <location line="+254"/>
        <source>Working on this computer only (not connected to a server)</source>
        <translation>仅在本机工作（未连接服务器）</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not encrypted</source>
        <translation>未加密</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>last synced %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="-4"/>
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n 条修改待发送</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n 个冲突</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/sync_status.py" line="-33"/>
        <source>The connection to the server is not encrypted: use it only on a trusted network.</source>
        <translation>与服务器的连接未加密：请仅在可信网络中使用。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="-192"/>
        <location filename="../../crm_desktop/views/language_menu.py" line="+12"/>
        <source>The new language is used from the next start of the program.</source>
        <translation>新的语言将在下次启动程序时生效。</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../crm_desktop/views/merge_dialog.py" line="+105"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message numerus="yes">
        <location line="-44"/>
        <source>Merge %n customer(s)</source>
        <translation>
            <numerusform>合并 %n 个客户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Merge %n contact(s)</source>
        <translation>
            <numerusform>合并 %n 个联系人</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose the record to keep and, where they differ, the value it keeps. Everything of the others (contacts, opportunities, tasks, follow-ups, contracts and payments) moves to the kept one, and the others are deleted. You can undo the merge right after.</source>
        <translation>请选择要保留的记录，并在各记录不同的地方选择保留哪个值。其他记录的一切（联系人、商机、任务、跟进、合同和回款）都会移到保留的记录下，其他记录随后删除。合并后可以马上撤销。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choose the contact to keep and, where they differ, the value it keeps. The opportunities and follow-ups of the others move to the kept one, and the others are deleted. You can undo the merge right after.</source>
        <translation>请选择要保留的联系人，并在各联系人不同的地方选择保留哪个值。其他联系人的商机和跟进会移到保留的联系人下，其他联系人随后删除。合并后可以马上撤销。</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>One of the records was deleted meanwhile.</source>
        <translation>其中一条记录刚刚被删除了。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entered</source>
        <translation>录入时间</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The records hold the same values.</source>
        <translation>这些记录的内容完全相同。</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../crm_desktop/views/navigation.py" line="+18"/>
        <source>Go to</source>
        <translation>转到</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../../crm_desktop/views/note_dialog.py" line="+45"/>
        <source>Send a note</source>
        <translation>发留言</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>What you want to tell him or her</source>
        <translation>您想告诉对方的话</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>To</source>
        <translation>收件人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About</source>
        <translation>相关客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>留言</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>A note is at most %1 characters; this one has %2.</source>
        <translation>留言最多 %1 个字，这条有 %2 个字。</translation>
    </message>
</context>
<context>
    <name>OverdueFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="+54"/>
        <source>Overdue only</source>
        <translation>只看逾期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tasks past due, customers whose next step is past, open deals past their expected close, contracts still running past their end. Money overdue: Receivables.</source>
        <translation>过了期限的任务、下一步已过期的客户、过了预计成交日期仍未关闭的商机、过了到期日仍在执行的合同。逾期未收的款项请看“应收款”。</translation>
    </message>
</context>
<context>
    <name>OwnerFilter</name>
    <message>
        <location filename="../../crm_desktop/views/line_pages.py" line="+47"/>
        <source>Whose</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Everyone I see</source>
        <translation>我能看到的全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Me</source>
        <translation>我</translation>
    </message>
</context>
<context>
    <name>Ownership</name>
    <message>
        <location filename="../../crm_desktop/sync/ownership.py" line="+37"/>
        <source>You have claimed as many customers as one may in 24 hours (rule claim_per_day); you may claim again from {when}.</source>
        <translation>您在 24 小时内领取的客户已达上限（规则 claim_per_day）；{when} 起可再领取。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{who} already owns {count} customers, the most one may own (rule max_owned).</source>
        <translation>{who} 已拥有 {count} 个客户，已达每人上限（规则 max_owned）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This customer left you recently; you may claim it back from {when} (rule reclaim_block_days).</source>
        <translation>该客户不久前才从您名下退回；{when} 起您才能再次领取（规则 reclaim_block_days）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{who}” is a clerk or an administrator: only a rep or a manager may own customers.</source>
        <translation>“{who}”是文员或管理员：只有销售代表或经理可以拥有客户。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Claiming customers from the pool is switched off (rule claim_per_day).</source>
        <translation>公海领取已关闭（规则 claim_per_day）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This customer is not in the pool any more; someone may have claimed it first.</source>
        <translation>该客户已不在公海中，可能已被他人先领取。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You can release only a customer you own.</source>
        <translation>只能将自己名下的客户退回公海。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your manager keeps this customer with you (locked): only a manager or an administrator may release it.</source>
        <translation>您的经理已把这个客户锁定在您名下：只有经理或管理员可以把它退回公海。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This customer has just gone back to the public pool (its ownership history says why). Claim it to make it yours again, if the rules let you.</source>
        <translation>这个客户刚刚退回了公海（原因见它的归属记录）。如果规则允许，可以重新领取。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This customer has just gone back to the public pool (its ownership history says why): it has no owner to keep it with now.</source>
        <translation>这个客户刚刚退回了公海（原因见它的归属记录）：现在没有负责人可以锁定。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>You may not give this customer to “{login}”: there is no such user in your team, or the customer is not yours to give.</source>
        <translation>不能把该客户分配给“{login}”：您的团队中没有此用户，或该客户不归您分配。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You may not give these customers to “{login}”: there is no such user in your team, or one of them is not yours to give. None of them was given.</source>
        <translation>您不能把这些客户交给“{login}”：您的团队里没有这个人，或其中有客户不归您分配。一个都没有分配。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only a manager or an administrator may keep a customer with its owner.</source>
        <translation>只有经理或管理员可以把客户锁定给负责人。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This customer has no owner to keep it with, or is not one you may change.</source>
        <translation>这个客户没有负责人可以锁定，或者不是您可以修改的客户。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A handover needs two different users.</source>
        <translation>移交需要两个不同的用户。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no user named “{login}”.</source>
        <translation>没有名为“{login}”的用户。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{login}” is deactivated and cannot receive customers.</source>
        <translation>“{login}”已停用，不能接收客户。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You may not hand “{leaver}”&apos;s customers to “{receiver}”: only an administrator, or the manager of both, may. Nothing was moved.</source>
        <translation>您不能把“{leaver}”的客户移交给“{receiver}”：只有管理员或两人共同的经理可以这样做。什么都没有移交。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server refused: {detail}</source>
        <translation>服务器拒绝：{detail}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/sync/rules.py" line="+26"/>
        <source>Only an administrator may change the rules.</source>
        <translation>只有管理员可以修改规则。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value} is out of range for {key}.</source>
        <translation>{value} 超出了 {key} 允许的范围。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{key} must have a value; only the per-grade overrides may be empty.</source>
        <translation>{key} 必须有值；只有按等级的设置可以留空。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no rule named “{key}”.</source>
        <translation>没有名为“{key}”的规则。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/sync/server/admin.py" line="+19"/>
        <source>Only an administrator may change the company letterhead.</source>
        <translation>只有管理员可以修改公司抬头。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server does not keep a company letterhead yet; its schema must be upgraded first (server init).</source>
        <translation>服务器还没有公司抬头；需要先升级其数据库结构（server init）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{field} may be at most {limit} characters long.</source>
        <translation>{field}最多 {limit} 个字符。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field} must be one line of text, without control characters.</source>
        <translation>{field}必须是一行文字，不能有控制字符。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused the company letterhead as given; nothing was changed.</source>
        <translation>服务器拒绝了这个公司抬头；什么都没有改。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The logo must be a PNG or JPEG image, and “{file}” is neither.</source>
        <translation>标志必须是 PNG 或 JPEG 图片，而“{file}”都不是。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The logo “{file}” is {size} KiB; a logo may be at most {limit} KiB.</source>
        <translation>标志“{file}”有 {size} KiB；标志最大 {limit} KiB。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The logo file “{file}” cannot be read.</source>
        <translation>无法读取标志文件“{file}”。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The logo must be a PNG or JPEG image of at most {limit} KiB.</source>
        <translation>标志必须是不超过 {limit} KiB 的 PNG 或 JPEG 图片。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/ownership.py" line="-35"/>
        <source>The customer is yours now.</source>
        <translation>这位客户现在归您了。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The customer is back in the public pool.</source>
        <translation>这位客户已退回公海。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The customer now belongs to “{to}”.</source>
        <translation>这位客户现在归“{to}”了。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{id}” is not a customer&apos;s id; copy it from the customer&apos;s page or an export.</source>
        <translation>“{id}”不是客户编号；请从客户页面或导出文件中复制。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no customer with the id “{id}”; copy it from the customer&apos;s page or an export.</source>
        <translation>没有编号为“{id}”的客户；请从客户页面或导出文件中复制编号。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Say why the customer goes back to the public pool: --reason TEXT.</source>
        <translation>请说明客户退回公海的原因：--reason 原因。</translation>
    </message>
</context>
<context>
    <name>OwnershipButtons</name>
    <message>
        <location filename="../../crm_desktop/views/ownership_buttons.py" line="+44"/>
        <source>Claim</source>
        <translation>领取</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make this customer of the public pool yours (needs the server)</source>
        <translation>把公海中的这个客户领为己有（需连接服务器）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Release to pool…</source>
        <translation>退回公海…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Assign to…</source>
        <translation>分配给…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give this customer to a member of your team</source>
        <translation>把这个客户交给您团队中的一位成员</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Unlock</source>
        <translation>解除锁定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Let this customer return to the public pool by the rules again</source>
        <translation>让这个客户重新按规则退回公海</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep with owner (lock)</source>
        <translation>锁定给负责人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This customer stays with its owner and never returns to the public pool</source>
        <translation>这个客户留在负责人名下，不会退回公海</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Release to pool</source>
        <translation>退回公海</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Why does this customer go back to the public pool?</source>
        <translation>为什么把这个客户退回公海？</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Why does this customer go back to the public pool? A reason is needed: it is kept in the customer&apos;s history for whoever takes it next.</source>
        <translation>为什么把这个客户退回公海？必须填写原因：它会记入客户的归属记录，供下一位接手的人参考。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not done</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>PaidInFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="+35"/>
        <source>Received in</source>
        <translation>回款时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last year</source>
        <translation>上年</translation>
    </message>
</context>
<context>
    <name>PaymentsTotal</name>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/payments_total.py" line="+52"/>
        <source>%Ln payment(s), {amount} in all</source>
        <translation>
            <numerusform>%Ln 笔回款，合计 {amount}</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(of which {amount} dated after today)</source>
        <translation>（其中 {amount} 日期在今天之后）</translation>
    </message>
</context>
<context>
    <name>PdfExport</name>
    <message>
        <location filename="../../crm_desktop/views/pdf_export.py" line="+45"/>
        <location line="+16"/>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as a PDF to print or send; it opens when saved</source>
        <translation>保存为 PDF 以便打印或发送；保存后会自动打开</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>Person</name>
    <message>
        <location filename="../../crm_desktop/models/fields.py" line="-198"/>
        <location line="+38"/>
        <location filename="../../crm_desktop/queries/tables.py" line="+84"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
</context>
<context>
    <name>Phones</name>
    <message>
        <location filename="../../crm_desktop/models/phones.py" line="+39"/>
        <source>{number} ext. {extension}</source>
        <translation>{number} 转 {extension}</translation>
    </message>
</context>
<context>
    <name>PoolDueFilter</name>
    <message>
        <location filename="../../crm_desktop/views/list_filters.py" line="-80"/>
        <source>Returns to the pool</source>
        <translation>退回公海</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Any return date</source>
        <translation>不限退回日期</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Returns to the pool within %n day(s)</source>
        <translation>
            <numerusform>%n 天内退回公海</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QuoteLines</name>
    <message>
        <location filename="../../crm_desktop/views/quote_lines.py" line="+63"/>
        <source>Line total</source>
        <translation>小计</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Add a product</source>
        <translation>添加产品</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove selected</source>
        <translation>移除所选</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quote as PDF…</source>
        <translation>报价单导出 PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The quote as saved, with the company letterhead, to print or send</source>
        <translation>按已保存的内容生成带公司抬头的报价单，用于打印或发送</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>quote.pdf</source>
        <translation>报价单.pdf</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Total: %1</source>
        <translation>合计：%1</translation>
    </message>
</context>
<context>
    <name>ReceivablesView</name>
    <message>
        <location filename="../../crm_desktop/views/receivables_view.py" line="+55"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+95"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="-94"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outstanding</source>
        <translation>未回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue since</source>
        <translation>逾期起始日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contracts overdue</source>
        <translation>逾期合同数</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the customers shown to an Excel workbook</source>
        <translation>把显示的客户写入 Excel 工作簿</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Customers with money overdue</source>
        <translation>有逾期款项的客户</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nothing is overdue. Money falls overdue when an instalment&apos;s due date, or the start of a contract without a payment plan, passes before it is paid.</source>
        <translation>没有逾期款项。分期的到期日（或没有分期计划的合同的开始日期）过了还没付款，就算逾期。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Counts what this device holds, as of your last sync. Outstanding is what all the customer&apos;s signed contracts hold unpaid, due or not.</source>
        <translation>按这台电脑上的数据统计，截至您上次同步。未回款是该客户所有已签合同中尚未付清的全部金额，无论是否到期。</translation>
    </message>
    <message numerus="yes">
        <location line="+67"/>
        <source>%n customer(s): %1 overdue, %2 outstanding</source>
        <translation>
            <numerusform>%n 个客户有逾期：逾期共 %1，这些客户未回款共 %2</numerusform>
        </translation>
    </message>
    <message>
        <location line="+42"/>
        <source>receivables.pdf</source>
        <translation>应收款.pdf</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export the receivables</source>
        <translation>导出应收款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>receivables.xlsx</source>
        <translation>应收款.xlsx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Receivables</source>
        <translation>应收款</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>RecordForm</name>
    <message>
        <location filename="../../crm_desktop/views/record_form.py" line="-89"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New contact</source>
        <translation>新建联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New opportunity</source>
        <translation>新建商机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New task</source>
        <translation>新建任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New follow-up</source>
        <translation>新建跟进记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New product</source>
        <translation>新建产品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New quote line</source>
        <translation>新建报价明细</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New contract</source>
        <translation>新建合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New instalment</source>
        <translation>新建分期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record a payment</source>
        <translation>登记回款</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Edit customer</source>
        <translation>编辑客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit contact</source>
        <translation>编辑联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit opportunity</source>
        <translation>编辑商机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit task</source>
        <translation>编辑任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit follow-up</source>
        <translation>编辑跟进记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit product</source>
        <translation>编辑产品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit quote line</source>
        <translation>编辑报价明细</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit contract</source>
        <translation>编辑合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit instalment</source>
        <translation>编辑分期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit payment</source>
        <translation>编辑回款</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choose the customer from the list under this field, or empty the field for a task about no customer.</source>
        <translation>请从此栏下方的列表中选择客户；如任务不涉及客户，请清空此栏。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This customer was deleted or merged meanwhile: choose the customer again.</source>
        <translation>此客户在此期间已被删除或合并，请重新选择客户。</translation>
    </message>
    <message>
        <location line="+170"/>
        <source>Add a number</source>
        <translation>添加号码</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>ID numbers</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save and new</source>
        <translation>保存并新建</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>{form} — {customer}</source>
        <translation>{form} — {customer}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Customer: {name}</source>
        <translation>客户：{name}</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Close without saving? What you typed in this form will be lost.</source>
        <translation>不保存就关闭？您在此表单中输入的内容将会丢失。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Close without saving</source>
        <translation>不保存，关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep editing</source>
        <translation>继续编辑</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>This record no longer exists; it may have been deleted.</source>
        <translation>该记录已不存在，可能已被删除。</translation>
    </message>
    <message>
        <location line="+160"/>
        <source>May already exist: %1</source>
        <translation>可能已存在：%1</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/money_form_parts.py" line="+29"/>
        <source>Quote</source>
        <translation>报价</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The sum of the quote lines below.</source>
        <translation>下方报价明细的合计。</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>This is %1 more than the contract still owes (%2).</source>
        <translation>比合同尚欠的金额（%2）多出 %1。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>It is dated %1, before the contract starts (%2): is the year right?</source>
        <translation>回款日期是 %1，早于合同开始日期（%2）：年份填对了吗？</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Opportunity won</source>
        <translation>商机已赢单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“%1” is won. Create its contract now?</source>
        <translation>“%1”已赢单。现在创建它的合同吗？</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Create the contract</source>
        <translation>创建合同</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not now</source>
        <translation>以后再说</translation>
    </message>
</context>
<context>
    <name>ReminderBanner</name>
    <message>
        <location filename="../../crm_desktop/views/reminders.py" line="+51"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Show Today</source>
        <translation>查看今天</translation>
    </message>
</context>
<context>
    <name>Reminders</name>
    <message numerus="yes">
        <location line="+64"/>
        <source>%n thing(s) to do became due.</source>
        <translation>
            <numerusform>有 %n 件事到期了。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRM: Today</source>
        <translation>CRM：今天</translation>
    </message>
</context>
<context>
    <name>RenewDialog</name>
    <message>
        <location filename="../../crm_desktop/views/renew_dialog.py" line="+60"/>
        <source>Renew a contract</source>
        <translation>续签合同</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Renews %1 of %2, which ends %3.</source>
        <translation>续签 %2 的合同 %1（%3 到期）。</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+7"/>
        <source>New contract number</source>
        <translation>新合同号</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Starts</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Ends</source>
        <translation>到期日期</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Renew</source>
        <translation>续签</translation>
    </message>
</context>
<context>
    <name>RenewalsCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/renewals.py" line="+31"/>
        <source>No contract ends from {start} to {end}.</source>
        <translation>{start} 至 {end} 之间没有到期的合同。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>by {number}</source>
        <translation>由 {number} 续约</translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+26"/>
        <source>%n contract(s) ending from {start} to {end}:</source>
        <translation>
            <numerusform>{start} 至 {end} 之间有 %n 份合同到期：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RenewalsView</name>
    <message>
        <location filename="../../crm_desktop/views/renewals_view.py" line="+78"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next 30 days</source>
        <translation>未来 30 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next 60 days</source>
        <translation>未来 60 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next 90 days</source>
        <translation>未来 90 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date range…</source>
        <translation>日期范围…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ends</source>
        <translation>到期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contract</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+166"/>
        <location line="+20"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="-185"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+185"/>
        <source>Renewal</source>
        <translation>续约</translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Renewal note</source>
        <translation>续约备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+181"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="-180"/>
        <source>Renewed by</source>
        <translation>续签合同</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Double-click a cell to change it</source>
        <translation>双击单元格即可修改</translation>
    </message>
    <message>
        <location line="+91"/>
        <location line="+32"/>
        <source>Ending</source>
        <translation>到期范围</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Renewal status</source>
        <translation>续约状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any renewal status</source>
        <translation>全部续约状态</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Renew…</source>
        <translation>续签…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Make the contract that renews the chosen one, and link the two</source>
        <translation>为所选合同创建续签合同，并把两者关联</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the contracts shown to an Excel workbook</source>
        <translation>把显示的合同写入 Excel 工作簿</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The contracts ending in the period shown, for the owner shown, as a PDF</source>
        <translation>把所显示期间、所选负责人的到期合同导出为 PDF</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Contracts ending</source>
        <translation>到期合同</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>No contract ends in this period.</source>
        <translation>这段时间内没有到期的合同。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n contract(s), %1 in all</source>
        <translation>
            <numerusform>%n 份合同，合计 %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+91"/>
        <source>renewals.pdf</source>
        <translation>续约清单.pdf</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export the renewal list</source>
        <translation>导出续约清单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>renewals.xlsx</source>
        <translation>续约清单.xlsx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Renewals</source>
        <translation>续约清单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>ReportCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="-53"/>
        <source>--to {end} is before --from {start}.</source>
        <translation>--to {end} 早于 --from {start}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} “{typed}” is not a date; write it as YYYY-MM-DD.</source>
        <translation>{option}“{typed}”不是日期；请写成 YYYY-MM-DD。</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The {kind} report has no period: leave out --from and --to (they are for pipeline, activity and renewals).</source>
        <translation>{kind} 报告没有时间段：请去掉 --from 和 --to（它们只用于 pipeline、activity 和 renewals）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Say which customer: --customer ID.</source>
        <translation>请指明客户：--customer 编号。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Say which opportunity to quote: --opportunity ID.</source>
        <translation>请指明要报价的商机：--opportunity 编号。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--customer is for the customer report only.</source>
        <translation>--customer 只用于客户报告。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--opportunity is for the quote only.</source>
        <translation>--opportunity 只用于报价单。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--owner is not for the {kind} report: it is about one record.</source>
        <translation>--owner 不适用于 {kind} 报告：它只涉及一条记录。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>--from {start}: the period from it runs past the last day there is (9999-12-31); give --to as well.</source>
        <translation>--from {start}：从这天起的时间段超出了最后一天（9999-12-31）；请同时给出 --to。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>--to {end}: the period up to it starts before the first day there is (0001-01-01); give --from as well.</source>
        <translation>--to {end}：到这天为止的时间段早于第一天（0001-01-01）；请同时给出 --from。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>No user has the login “{login}” on this device.</source>
        <translation>这台电脑上没有登录名为“{login}”的用户。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="-10"/>
        <location filename="../../crm_desktop/commands/report.py" line="+33"/>
        <source>Could not write {path}: {why}.</source>
        <translation>无法写入 {path}：{why}。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="+9"/>
        <source>--out {path} is a folder; name the PDF file to write.</source>
        <translation>--out {path} 是一个文件夹；请写出要保存的 PDF 文件名。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="-25"/>
        <location filename="../../crm_desktop/commands/report.py" line="+6"/>
        <source>Could not write {path}: the folder {folder} does not exist.</source>
        <translation>无法写入 {path}：文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/report.py" line="+6"/>
        <source>Could not write {path}: permission denied.</source>
        <translation>无法写入 {path}：没有权限。</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../crm_desktop/reports/activity.py" line="+32"/>
        <source>Team activity</source>
        <translation>团队工作量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From {start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups</source>
        <translation>跟进</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+52"/>
        <source>Customers added</source>
        <translation>新增客户</translation>
    </message>
    <message>
        <location line="-51"/>
        <location line="+60"/>
        <source>Tasks done</source>
        <translation>完成任务</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Opportunities changed</source>
        <translation>修改的商机</translation>
    </message>
    <message>
        <location line="+13"/>
        <location filename="../../crm_desktop/reports/customer.py" line="+149"/>
        <location line="+86"/>
        <location filename="../../crm_desktop/reports/money.py" line="+56"/>
        <location line="+51"/>
        <location filename="../../crm_desktop/reports/pipeline.py" line="+113"/>
        <source>Total ({count})</source>
        <translation>合计（{count}）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nobody to report on.</source>
        <translation>没有可报告的人员。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>The first {shown} of {total}.</source>
        <translation>共 {total} 条，只列出前 {shown} 条。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/customer.py" line="-180"/>
        <source>No customer with the id “{id}” is on this device.</source>
        <translation>本机没有编号为“{id}”的客户。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Customer profile</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ID numbers</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Money as of {date}</source>
        <translation>截至 {date} 的款项</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Contracted</source>
        <translation>合同金额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paid</source>
        <translation>已付</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paid in the last 12 months</source>
        <translation>近 12 个月回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+177"/>
        <location filename="../../crm_desktop/reports/money.py" line="+14"/>
        <source>Outstanding</source>
        <translation>未回款</translation>
    </message>
    <message>
        <location line="-176"/>
        <location line="+177"/>
        <location filename="../../crm_desktop/reports/money.py" line="-2"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location line="-172"/>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No contacts.</source>
        <translation>没有联系人。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{grade}, fixed by hand</source>
        <translation>{grade}（手工锁定）</translation>
    </message>
    <message>
        <location line="+8"/>
        <location filename="../../crm_desktop/reports/pipeline.py" line="-27"/>
        <source>Open opportunities</source>
        <translation>进行中的商机</translation>
    </message>
    <message>
        <location line="+35"/>
        <location filename="../../crm_desktop/reports/pipeline.py" line="+36"/>
        <source>No open opportunities.</source>
        <translation>没有进行中的商机。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Last follow-ups</source>
        <translation>最近的跟进</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{clerk} for {rep}</source>
        <translation>{clerk} 代 {rep}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Logged by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No follow-ups yet.</source>
        <translation>还没有跟进记录。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The latest {shown} of {total} follow-ups.</source>
        <translation>共 {total} 条跟进，列出最近 {shown} 条。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Contracts</source>
        <translation>合同</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>No contracts.</source>
        <translation>没有合同。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/document.py" line="+590"/>
        <source>Printed on {date} by {name}</source>
        <translation>{name} 打印于 {date}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed on {date}</source>
        <translation>打印于 {date}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/money.py" line="-86"/>
        <source>Renewals</source>
        <translation>续约清单</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contracts ending from {start} to {end}</source>
        <translation>{start} 至 {end} 到期的合同</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Renewed by</source>
        <translation>续约合同</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No contract ends in this period.</source>
        <translation>本期没有到期的合同。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Receivables</source>
        <translation>应收款</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customers with money overdue on {date}</source>
        <translation>截至 {date} 有逾期款项的客户</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Overdue since</source>
        <translation>逾期起始日</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Contracts overdue</source>
        <translation>逾期合同数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No customer has money overdue.</source>
        <translation>没有客户逾期。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Outstanding: what the customers&apos; signed contracts hold beyond what was paid; overdue: what fell due before {date} and is not paid.</source>
        <translation>未回款：客户已签合同中尚未回款的金额；逾期：{date} 之前到期而未回款的金额。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/pipeline.py" line="-90"/>
        <source>Pipeline and forecast</source>
        <translation>销售漏斗与预测</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open opportunities on {date}; forecast from {start} to {end}</source>
        <translation>{date} 进行中的商机；预测期间 {start} 至 {end}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Opportunities</source>
        <translation>商机</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weighted</source>
        <translation>加权</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>By stage</source>
        <translation>按阶段</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+19"/>
        <location filename="../../crm_desktop/reports/quote.py" line="+114"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Forecast by month of expected close</source>
        <translation>按预计成交月份的预测</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Prob.</source>
        <translation>概率</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Weighted: each amount times its probability, to the fen. Amounts in yuan (CNY).</source>
        <translation>加权：每笔金额乘以其成交概率，精确到分。金额单位为人民币元。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/quote.py" line="-59"/>
        <source>No opportunity with the id “{id}” is on this device.</source>
        <translation>本机没有编号为“{id}”的商机。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Quotation</source>
        <translation>报价单</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>To</source>
        <translation>致</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prepared by</source>
        <translation>制单人</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Products</source>
        <translation>产品</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Line total</source>
        <translation>小计</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No product lines: the amount quoted is {amount}.</source>
        <translation>没有产品明细：报价金额为 {amount}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Amounts in yuan (CNY).</source>
        <translation>金额单位为人民币元。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tax number: {number}</source>
        <translation>税号：{number}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/reports/chosen.py" line="+23"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+10"/>
        <location filename="../../crm_desktop/reports/customer.py" line="-230"/>
        <source>{label}: {value}</source>
        <translation>{label}：{value}</translation>
    </message>
</context>
<context>
    <name>Rules</name>
    <message>
        <location filename="../../crm_desktop/sync/server/admin.py" line="-503"/>
        <source>days without a follow-up before a customer returns to the pool</source>
        <translation>客户多少天没有跟进就退回公海</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the same for grade A customers (not set: pool_return_days)</source>
        <translation>A 级客户的天数（不设置则按 pool_return_days）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the same for grade B customers (not set: pool_return_days)</source>
        <translation>B 级客户的天数（不设置则按 pool_return_days）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the same for grade C customers (not set: pool_return_days)</source>
        <translation>C 级客户的天数（不设置则按 pool_return_days）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>days before the return that the owner is warned</source>
        <translation>退回公海前多少天提醒负责人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>pool customers a rep may claim per day</source>
        <translation>业务员每天最多可领取的公海客户数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>customers a rep may own at most</source>
        <translation>业务员最多可拥有的客户数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>days before a rep may claim back a customer that returned from him</source>
        <translation>客户从业务员名下退回公海后，他要等多少天才能再领回</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>percent of customers, by value in the last 12 months, graded A</source>
        <translation>按近 12 个月价值评为 A 的客户百分比</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>percent of customers graded B, next after the A ones</source>
        <translation>A 类之后评为 B 的客户百分比</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a customer&apos;s value: 0 what it paid, 1 the deals won from it</source>
        <translation>客户价值的算法：0 按回款，1 按赢单金额</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <location filename="../../crm_desktop/views/rules_dialog.py" line="+113"/>
        <source>Public pool and grading rules</source>
        <translation>公海与客户分级规则</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>These rules are the same for everybody and kept on the server; the server applies them to every claim and every return to the pool, and grades customers A, B and C by them.</source>
        <translation>这些规则对所有人都一样，保存在服务器上；服务器按它们处理每一次领取和退回公海，并据此把客户分为 A、B、C 三级。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What it means</source>
        <translation>含义</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last changed</source>
        <translation>最后修改</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Reading the rules from the server…</source>
        <translation>正在从服务器读取规则…</translation>
    </message>
    <message>
        <location line="-109"/>
        <source>Days before return to the pool, grade {grade}</source>
        <translation>退回公海天数（{grade} 级）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Days before return to the pool</source>
        <translation>退回公海天数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Days of warning</source>
        <translation>提前提醒天数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claims per day</source>
        <translation>每天可领取数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most customers per rep</source>
        <translation>每人最多客户数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Days before claiming back</source>
        <translation>重新领回等待天数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grade A share (%)</source>
        <translation>A 级比例（%）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grade B share (%)</source>
        <translation>B 级比例（%）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer value for grading</source>
        <translation>评级依据的客户价值</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The same for grade {grade} customers. Not set: “{rule}” applies to them.</source>
        <translation>{grade} 级客户的天数。不设置则按“{rule}”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What a customer&apos;s value is when customers are graded: what it paid, or the deals won from it.</source>
        <translation>评级时客户价值的算法：按回款，或按赢单金额。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Payments received</source>
        <translation>按回款</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deals won</source>
        <translation>按赢单金额</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Preview effect</source>
        <translation>预览效果</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ask the server what these values would do now: how many customers would go back to the public pool and how many would change grade. Nothing is saved.</source>
        <translation>询问服务器：按这些值现在会有什么结果——多少客户会回到公海，多少客户会改变等级。不会保存任何内容。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Asking the server…</source>
        <translation>正在询问服务器…</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n customer(s) would go back to the public pool</source>
        <translation>
            <numerusform>%n 个客户会回到公海</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n customer(s) would change grade</source>
        <translation>
            <numerusform>%n 个客户会改变等级</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no grade</source>
        <translation>无等级</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>With these values, now: %1, and %2. Nothing is saved until you click Save.</source>
        <translation>按这些值，现在：%1，%2。点击“保存”之前不会保存任何内容。</translation>
    </message>
</context>
<context>
    <name>RunPage</name>
    <message>
        <location filename="../../crm_desktop/views/import_wizard.py" line="+15"/>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel leaves everything as it was: the import is written whole or not at all.</source>
        <translation>取消会让一切保持原样：导入要么全部写入，要么什么都不写。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 rows</source>
        <translation>%1 / %2 行</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nothing was imported.</source>
        <translation>没有导入任何内容。</translation>
    </message>
</context>
<context>
    <name>Runner</name>
    <message>
        <location filename="../../crm_desktop/views/runner.py" line="+183"/>
        <source>Something went wrong and was not saved; details are in the log file.</source>
        <translation>出错了，内容没有保存；详细信息已记录在日志文件中。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/cli.py" line="-59"/>
        <source>Something went wrong and the log file could not be written.</source>
        <translation>出了点问题，而且无法写入日志文件。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/runner.py" line="+3"/>
        <source>Something went wrong and was not saved; details are in the log file {path}.</source>
        <translation>出了点问题，内容未保存；详细信息见日志文件 {path}。</translation>
    </message>
</context>
<context>
    <name>ScopeFilter</name>
    <message>
        <location filename="../../crm_desktop/views/scope_filter.py" line="+18"/>
        <source>Whose records</source>
        <translation>谁的记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All I may see</source>
        <translation>我能看到的全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public pool</source>
        <translation>公海</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>My team</source>
        <translation>我的团队</translation>
    </message>
</context>
<context>
    <name>ServerErrors</name>
    <message>
        <location filename="../../crm_desktop/views/server_errors.py" line="+21"/>
        <source>This computer is not connected to a server yet. To connect it, choose {menu_item} in the menu bar.</source>
        <translation>这台电脑还没有连接服务器。要连接，请在菜单栏中选择“{menu_item}”。</translation>
    </message>
</context>
<context>
    <name>StoreError</name>
    <message>
        <location filename="../../crm_desktop/storage/errors.py" line="+32"/>
        <location line="+1"/>
        <source>you do not have permission</source>
        <translation>您没有权限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it does not exist</source>
        <translation>它不存在</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>it is a folder, not a file</source>
        <translation>它是文件夹，不是文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the name is too long</source>
        <translation>名称太长</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The disk is full; free some space and try again.</source>
        <translation>磁盘已满，请清理出一些空间后重试。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The data file is busy in another program; close it and try again.</source>
        <translation>数据文件正被其他程序占用，请关闭该程序后重试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The data file {path} is damaged; restore it from a backup in {backups}.</source>
        <translation>数据文件 {path} 已损坏，请用 {backups} 中的备份恢复。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The data file {path} cannot be written to.</source>
        <translation>无法写入数据文件 {path}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} could not be used: {reason}.</source>
        <translation>无法使用 {path}：{reason}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The data in {path} was made by a newer version of this program; please upgrade it.</source>
        <translation>{path} 中的数据来自本程序的更新版本，请先升级本程序。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/store.py" line="+38"/>
        <source>The data in {path} could not be updated for this version and was left as it was; a copy made before the update is in {backup}.</source>
        <translation>无法将 {path} 中的数据更新到此版本，数据保持原样；更新前的备份在 {backup}。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/backups.py" line="+133"/>
        <source>There is no data to back up in {path}.</source>
        <translation>{path} 中没有可备份的数据。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no file {path}.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is a folder; choose one of the backup files in it (crm-….sqlite3).</source>
        <translation>{path} 是一个文件夹；请选择其中的一个备份文件（crm-….sqlite3）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{path} is not a CRM Desktop data file.</source>
        <translation>{path} 不是 CRM Desktop 数据文件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The copy cannot be written to {path} ({reason}); choose another place.</source>
        <translation>无法把副本写到 {path}（{reason}）；请换一个位置。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/errors.py" line="-30"/>
        <source>the disk or folder is read-only</source>
        <translation>磁盘或文件夹是只读的</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>part of the path is a file, not a folder</source>
        <translation>路径中有一部分是文件，不是文件夹</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/storage/backups.py" line="+3"/>
        <source>The copy {path} is damaged and cannot be used; choose another backup.</source>
        <translation>备份 {path} 已损坏，无法使用；请选择其他备份。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The backup copy failed its check and was deleted; the data file {path} may be damaged.</source>
        <translation>备份未通过检查，已被删除；数据文件 {path} 可能已损坏。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The backup copy failed its check: the data file {path} is damaged. Start CRM Desktop again to repair it (or run: crm-desktop backup --check).</source>
        <translation>备份未通过检查：数据文件 {path} 已损坏。请重新启动 CRM Desktop 进行修复（或运行：crm-desktop backup --check）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another CRM Desktop is restoring or repairing the data in {path}; try again when it has finished.</source>
        <translation>另一个 CRM Desktop 正在恢复或修复 {path} 中的数据；请等它完成后再试。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The copy {path} was made by a newer version of this program; please upgrade it first.</source>
        <translation>备份 {path} 由本程序的较新版本创建；请先升级本程序。</translation>
    </message>
</context>
<context>
    <name>SyncCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/sync_.py" line="+24"/>
        <source>Sent {sent} change(s), received {received} record(s) (full download).</source>
        <translation>已发送 {sent} 处修改，已接收 {received} 条记录（完整下载）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sent {sent} change(s), received {received} record(s).</source>
        <translation>已发送 {sent} 处修改，已接收 {received} 条记录。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} conflict(s): see `crm-desktop conflicts`.</source>
        <translation>{count} 处冲突：请运行 `crm-desktop conflicts` 查看。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{count} of your customers return to the pool within {days} days.</source>
        <translation>您有 {count} 个客户将在 {days} 天内退回公海。</translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+5"/>
        <source>%n customer(s) not followed up in time returned to the pool.</source>
        <translation>
            <numerusform>%n 个客户没有按时跟进，已退回公海。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncError</name>
    <message>
        <location filename="../../crm_desktop/sync/errors.py" line="+36"/>
        <source>This profile is not connected to a server; use Connect first.</source>
        <translation>此数据档案尚未连接服务器；请先点“连接”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server cannot be reached; your changes are kept and sent at the next sync.</source>
        <translation>无法连接服务器；您的更改已保留，下次同步时发送。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server cannot be reached; check the address and that the server is running.</source>
        <translation>无法连接到服务器；请检查地址，并确认服务器正在运行。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server did not accept the user name or password.</source>
        <translation>服务器不接受这个用户名或密码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your login has been switched off on the server, so this computer cannot sync; your changes are kept. Ask your administrator.</source>
        <translation>您的登录已在服务器上被停用，这台电脑无法同步；您的修改会保留。请联系管理员。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server&apos;s security certificate is not trusted; ask your administrator.</source>
        <translation>服务器的安全证书不受信任；请联系管理员。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server does not offer an encrypted connection; ask your administrator to turn TLS on, or, if this network is trusted, tick “Connect without encryption” (on the command line: --no-tls).</source>
        <translation>服务器不提供加密连接；请管理员开启 TLS，或者，如果这个网络可信，勾选“不加密连接”（命令行中用 --no-tls）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The CA certificate file {detail} cannot be read.</source>
        <translation>无法读取 CA 证书文件 {detail}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The file {detail} holds no certificate; choose the CA certificate file (often ca.pem or ca.crt) your administrator gave you.</source>
        <translation>文件 {detail} 里没有证书；请选择管理员给您的 CA 证书文件（通常叫 ca.pem 或 ca.crt）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The server address is not valid; write it as HOST, HOST:PORT/DATABASE or postgresql://HOST:PORT/DATABASE.</source>
        <translation>服务器地址无效；请写成 主机、主机:端口/数据库 或 postgresql://主机:端口/数据库 的形式。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server was upgraded; please upgrade this program. Your changes are kept.</source>
        <translation>服务器已升级；请升级本程序。您的修改已保留。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server has an older version of the CRM than this program; ask your administrator to run “crm-desktop server upgrade”. Your changes are kept.</source>
        <translation>服务器上的 CRM 版本比本程序旧；请让管理员运行“crm-desktop server upgrade”。您的更改会保留。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your office “{detail}” is not using the CRM yet; your administrator will tell you when it starts. Your work stays on this computer.</source>
        <translation>您的服务处“{detail}”还没有开始使用本 CRM；开始时管理员会通知您。您的工作仍保存在这台电脑上。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server answered, but has no database “{detail}”; check the address (the part after the last /) with your administrator.</source>
        <translation>服务器有应答，但没有名为“{detail}”的数据库；请和管理员核对地址（最后一个 / 后面的部分）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server answered, but does not let this computer in; ask your administrator to allow it (pg_hba.conf).</source>
        <translation>服务器有应答，但不允许这台电脑连接；请让管理员放行（pg_hba.conf）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server reported a problem: {detail}</source>
        <translation>服务器报告了一个问题：{detail}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/sync/engine.py" line="+62"/>
        <source>the database has no CRM schema</source>
        <translation>这个数据库里没有 CRM 的表</translation>
    </message>
</context>
<context>
    <name>TeamActivityView</name>
    <message>
        <location filename="../../crm_desktop/views/team_activity_view.py" line="+69"/>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>‹ Previous</source>
        <translation>‹ 上一个</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next ›</source>
        <translation>下一个 ›</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Team activity</source>
        <translation>团队动态</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups logged</source>
        <translation>跟进记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customers added</source>
        <translation>新增客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks done</source>
        <translation>完成任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opportunities changed</source>
        <translation>商机变动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latest change</source>
        <translation>最近一次改动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last synced</source>
        <translation>最近同步</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Counts what this device holds: your team&apos;s customers and what was done on them, as of your last sync. Someone who has not synced lately may have done more than shows here.</source>
        <translation>按这台电脑上的数据统计：您团队的客户以及在这些客户上做的事，截至您上次同步。最近没有同步的人，实际做的可能比这里显示的多。</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>activity.pdf</source>
        <translation>团队工作量.pdf</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{first} – {last}</source>
        <translation>{first} 至 {last}</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{name} (me)</source>
        <translation>{name}（我）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Team total</source>
        <translation>团队合计</translation>
    </message>
</context>
<context>
    <name>TodayCommand</name>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="-23"/>
        <source>Comments on your work logs</source>
        <translation>对您工作日志的评论</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Returning to the public pool</source>
        <translation>即将退回公海</translation>
    </message>
</context>
<context>
    <name>TodayView</name>
    <message>
        <location filename="../../crm_desktop/views/today_view.py" line="+94"/>
        <source>Today&apos;s list</source>
        <translation>今天的清单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log a call</source>
        <translation>记录通话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Postpone…</source>
        <translation>推迟…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delegate…</source>
        <translation>转交…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Snooze</source>
        <translation>稍后提醒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark read</source>
        <translation>标为已读</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>For 10 minutes</source>
        <translation>10 分钟后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For an hour</source>
        <translation>1 小时后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until tomorrow morning</source>
        <translation>明天早上</translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>Today, %1: %n thing(s) to do</source>
        <translation>
            <numerusform>今天 %1：%n 件事要做</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="-5"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+5"/>
        <source>Notes from colleagues</source>
        <translation>同事的留言</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Comments on your work log</source>
        <translation>对您工作日志的评论</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="+2"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Reminders</source>
        <translation>提醒</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Tasks due</source>
        <translation>到期的任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+1"/>
        <source>Next steps due</source>
        <translation>到期的下一步</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/today_view.py" line="+3"/>
        <source>Returning to the public pool within %n day(s)</source>
        <translation>
            <numerusform>%n 天内退回公海</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/today.py" line="+2"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+2"/>
        <source>Contracts to renew</source>
        <translation>待续约合同</translation>
    </message>
    <message>
        <location line="+49"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+4"/>
        <source>Nothing due today.</source>
        <translation>今天没有到期的事。</translation>
    </message>
    <message>
        <location line="+16"/>
        <location filename="../../crm_desktop/views/today_view.py" line="+38"/>
        <source>%1 (overdue)</source>
        <translation>%1（已逾期）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../crm_desktop/views/today_view.py" line="+9"/>
        <source>and %n more…</source>
        <translation>
            <numerusform>还有 %n 项…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+70"/>
        <source>someone</source>
        <translation>某人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Note from %1</source>
        <translation>%1 的留言</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>About %1</source>
        <translation>关于 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The whole note is under Show Details.</source>
        <translation>完整的留言请点“显示详细信息”查看。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open the customer</source>
        <translation>打开客户</translation>
    </message>
    <message>
        <location line="+78"/>
        <location line="+10"/>
        <source>Delegate</source>
        <translation>转交</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Nobody else would see “%1”: the server shows a task only to those who see its customer (for a task on no customer, to whoever made it).</source>
        <translation>别人看不到“%1”：服务器只把任务显示给能看到其客户的人（不属于任何客户的任务，只显示给创建它的人）。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Give “%1” to:</source>
        <translation>把“%1”交给：</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Postpone to</source>
        <translation>推迟到</translation>
    </message>
</context>
<context>
    <name>Transfer</name>
    <message>
        <location filename="../../crm_desktop/transfer/importing.py" line="+90"/>
        <source>Column {number} of the header has no name.</source>
        <translation>表头第 {number} 列没有列名。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The column “{column}” appears twice in the header.</source>
        <translation>表头中“{column}”列出现了两次。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A business card file holds contacts: import it as contacts.</source>
        <translation>名片文件里是联系人：请作为联系人导入。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>there is no customer named “{name}”.</source>
        <translation>没有名为“{name}”的客户。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} customers are named “{name}”; give the one you mean by its id in customer_id.</source>
        <translation>有 {count} 个客户都叫“{name}”；请在 customer_id 列填写所指客户的 id。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>it has neither a name nor a customer (company).</source>
        <translation>既没有姓名也没有客户（公司）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has an id, so it changes an existing record: add --update to allow that, or empty the id to add a new one.</source>
        <translation>这一行有 id，会修改已有记录：如需修改请加上 --update，如要新增请清空 id。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>there is no user with the login or name “{login}”.</source>
        <translation>没有登录名或姓名为“{login}”的用户。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>several users are named “{name}”; give the one you mean by his login.</source>
        <translation>有多个用户叫“{name}”；请用登录名指明是哪一位。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{where}: {reason}</source>
        <translation>{where}：{reason}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{field} “{value}” is on {where} too; it must be unique.</source>
        <translation>{field}“{value}”也出现在{where}；它必须唯一。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>its id is on {where} too; a record is added once.</source>
        <translation>它的编号也出现在{where}；一条记录只能添加一次。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>it was to update the record of {where}, which was not imported.</source>
        <translation>它要更新{where}的记录，但那一行没有导入。</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>there is no contract numbered “{number}”.</source>
        <translation>没有合同号为“{number}”的合同。</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>The file has a column “{column}” that a {entity} record does not have; leave it out with --leave-out “{column}”, or head it as one of: {allowed}.</source>
        <translation>文件中有“{column}”列，{entity}没有这一项；可以用 --leave-out “{column}” 略去它，或把表头改为以下之一：{allowed}。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The file has columns that a {entity} record does not have: {columns}; leave each out with --leave-out, or head it as one of: {allowed}.</source>
        <translation>文件中有{entity}没有的列：{columns}；可以用 --leave-out 逐一略去，或把表头改为以下之一：{allowed}。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The columns “{first}” and “{second}” would both be read as {column}; only one of them can be.</source>
        <translation>“{first}”和“{second}”两列都会被读作{column}；只能有一列是。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The file has no column “{column}” to leave out.</source>
        <translation>文件中没有要略去的“{column}”列。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{count} contracts are numbered “{number}”; give the one you mean by its id in {column}.</source>
        <translation>有 {count} 份合同的合同号都是“{number}”；请在 {column} 中用编号指明是哪一份。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{ids} and {numbers} name different contracts; empty one of them.</source>
        <translation>{ids} 和 {numbers} 指向不同的合同；请清空其中一个。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} “{value}” is already used by another {entity}.</source>
        <translation>{field}“{value}”已被另一个{entity}使用。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“{id}” is not a record id; empty it to add the record with a new one.</source>
        <translation>“{id}”不是记录编号；清空它即可作为新记录添加。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a deleted {entity} has this id; empty the id to add the record anew.</source>
        <translation>有一个已删除的{entity}使用这个编号；清空编号即可重新添加。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no {entity} here has the id “{id}” of the column “{column}”; empty that cell to add the row as a new record.</source>
        <translation>这里没有哪条{entity}的编号是“{column}”列里的“{id}”；清空这个格子，就会把这一行作为新记录添加。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>“{value}” is the list&apos;s totals row, not a record; delete that row from the file.</source>
        <translation>“{value}”是表格的合计行，不是一条记录；请从文件中删去这一行。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>“{value}” is a long number Excel shortened when it saved the file, and its digits are lost; format the column as text in Excel (or import the .xlsx file itself) and save again.</source>
        <translation>“{value}”是 Excel 保存文件时缩写了的长数字，其中的数字已经丢失；请在 Excel 中把这一列设为文本格式后重新保存（或者直接导入 .xlsx 文件）。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Imported {created} new {entity} records, updated {updated}.</source>
        <translation>已导入 {created} 条新{entity}，更新 {updated} 条。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../crm_desktop/transfer/staging.py" line="+84"/>
        <source>Added {count} new customer records for them.</source>
        <translation>并为它们新增了 {count} 个客户。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/reading.py" line="+41"/>
        <source>There is no file {path}.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path} is a folder; choose a file in it.</source>
        <translation>{path} 是一个文件夹；请选择其中的一个文件。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {path} is empty; its first line must name the columns.</source>
        <translation>文件 {path} 是空的；第一行必须是列名。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line} of the file is not {encoding} text; choose the file&apos;s encoding, or save it as UTF-8 and try again.</source>
        <translation>文件第 {line} 行不是 {encoding} 编码的文本；请选择文件的编码，或另存为 UTF-8 后再试。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{encoding}” is not the name of a text encoding.</source>
        <translation>“{encoding}”不是文本编码的名称。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line}: a quoted value is never closed.</source>
        <translation>第 {line} 行：有一个引号没有闭合。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line} is not valid CSV ({reason}).</source>
        <translation>第 {line} 行不是有效的 CSV（{reason}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{where} has {count} values but the header has {width} columns.</source>
        <translation>{where}有 {count} 个值，但表头有 {width} 列。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>line {line}</source>
        <translation>第 {line} 行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>row {line}</source>
        <translation>第 {line} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {path} is not an Excel .xlsx workbook.</source>
        <translation>文件 {path} 不是 Excel .xlsx 工作簿。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file {path} cannot be read ({reason}); close it in the program that has it open, or check that you may read it.</source>
        <translation>无法读取文件 {path}（{reason}）；请在打开它的程序中关闭它，或确认您有权读取它。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The workbook has no sheet named “{sheet}”; its sheets are: {sheets}.</source>
        <translation>工作簿中没有名为“{sheet}”的工作表；它的工作表有：{sheets}。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Row {row}, column {column} holds the number {value}, longer than the 15 digits Excel keeps, so its last digits are lost; format the column as text, type the number again and save the file.</source>
        <translation>第 {row} 行 {column} 列的数字 {value} 超过了 Excel 能保留的 15 位，后面几位已经丢失；请把这一列设为文本格式，重新输入这个数字后保存文件。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/export.py" line="-50"/>
        <source>Exporting {entity} records: {done} of {total}</source>
        <translation>正在导出{entity}：{done} / {total}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/import_.py" line="-100"/>
        <source>Checking and importing {entity} records: {done} of {total}</source>
        <translation>正在检查并导入{entity}：{done} / {total}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the file&apos;s columns as: {pairs}.</source>
        <translation>文件的列按如下读取：{pairs}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{column}” as {target}</source>
        <translation>“{column}”作为 {target}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leaving out the columns: {columns}.</source>
        <translation>不导入这些列：{columns}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checking stopped there; the rest of the file may have problems too.</source>
        <translation>检查到此为止；文件其余部分可能也有问题。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing was imported; fix these rows and try again.</source>
        <translation>没有导入任何内容；请改正这些行后再试。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skipped {where}: {why}</source>
        <translation>已跳过{where}：{why}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/staging.py" line="-2"/>
        <source>Choose at least one column to import.</source>
        <translation>请至少选择一列导入。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Added {added}, updated {updated}, skipped {skipped}.</source>
        <translation>新增 {added} 条，更新 {updated} 条，跳过 {skipped} 条。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why it was skipped</source>
        <translation>跳过原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What to correct</source>
        <translation>要改正的地方</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It looks like {name}, which you chose to keep as it is.</source>
        <translation>它看起来就是“{name}”，您选择了跳过。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It would change a record you already have, which you chose to keep as it is.</source>
        <translation>它会改动一条已有的记录，而您选择了保持那条记录不变。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>line {line} of this file</source>
        <translation>本文件第 {line} 行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>row {line} of this file</source>
        <translation>本文件第 {line} 行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name}: {reason}</source>
        <translation>{name}：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} ({place}): {reason}</source>
        <translation>{name}（{place}）：{reason}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/labels.py" line="+20"/>
        <source>{field} (by number)</source>
        <translation>{field}（按编号）</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/staging.py" line="+3"/>
        <source>The import was undone.</source>
        <translation>这次导入已撤销。</translation>
    </message>
    <message>
        <location line="+497"/>
        <source>Line {line} looks like {what}</source>
        <translation>第 {line} 行看起来像 {what}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Row {line} looks like {what}</source>
        <translation>第 {line} 行看起来像 {what}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Would add {added}, update {updated} and refuse {refused} of the file&apos;s {entity} records ({alike} of those it adds look like a record here or an earlier row of the file); nothing was changed.</source>
        <translation>文件中的{entity}：将新增 {added} 条（其中 {alike} 条看起来与已有记录或文件中前面的行相同），更新 {updated} 条，拒绝 {refused} 条；未做任何改动。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The contacts would add {count} new customer records.</source>
        <translation>这些联系人将新增 {count} 条客户记录。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/labels.py" line="-5"/>
        <source>Identifiers (kind: number)</source>
        <translation>证件号（类型: 号码）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Id (of a record here)</source>
        <translation>ID（本机已有记录的）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Company address</source>
        <translation>公司地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer (by name)</source>
        <translation>客户（按名称）</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/vcard.py" line="+32"/>
        <source>The file {path} holds no business cards (vCard).</source>
        <translation>文件 {path} 中没有名片（vCard）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line}: the card that starts here has no END:VCARD.</source>
        <translation>第 {line} 行：从这里开始的名片没有 END:VCARD。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line} of the card file cannot be read ({reason}).</source>
        <translation>名片文件第 {line} 行无法读取（{reason}）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Other phones: {numbers}</source>
        <translation>其他电话：{numbers}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fax: {numbers}</source>
        <translation>传真：{numbers}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other emails: {emails}</source>
        <translation>其他邮箱：{emails}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other messaging IDs: {ids}</source>
        <translation>其他聊天账号：{ids}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address: {address}</source>
        <translation>地址：{address}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Website: {url}</source>
        <translation>网址：{url}</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/cells.py" line="+23"/>
        <source>“{value}” is not an identifier; write kind:number, for example {example}.</source>
        <translation>“{value}”不是证件号；请写成“类型:号码”，例如 {example}。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/contact_persons.py" line="+33"/>
        <source>contact person: {reason}</source>
        <translation>联系人：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the contact person&apos;s name is empty, though other columns of the contact are not.</source>
        <translation>联系人姓名为空，但联系人的其他列有内容。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The columns {columns} describe a contact person, but no column holds the contact&apos;s name: choose that column, or leave those columns out.</source>
        <translation>{columns} 这些列是联系人的信息，但没有哪一列是联系人姓名：请选择这一列，或者不导入那些列。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s job title</source>
        <translation>联系人职务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s mobile</source>
        <translation>联系人手机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s phone</source>
        <translation>联系人电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact&apos;s email</source>
        <translation>联系人邮箱</translation>
    </message>
    <message numerus="yes">
        <location filename="extra_sources.py" line="+6"/>
        <source>Added %n contact person(s) with them.</source>
        <translation>
            <numerusform>并为其添加了 %n 位联系人。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>The import was undone; %n of the records it added stay, because they were changed or had something added to them since.</source>
        <translation>
            <numerusform>这次导入已撤销；它新增的记录中有 %n 条保留了下来，因为之后有人改过它们，或给它们添加了内容。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UpgradeWindow</name>
    <message>
        <location filename="../../crm_desktop/views/upgrade_window.py" line="+21"/>
        <source>CRM Desktop</source>
        <translation>CRM 客户管理</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Updating your data for this version of CRM Desktop.
A backup copy is made first. On a large database this can take a minute; please leave the program open.</source>
        <translation>正在为新版本更新您的数据。
会先做一份备份。数据较多时可能需要一分钟左右，请不要关闭程序。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Updating data</source>
        <translation>正在更新数据</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../crm_desktop/models/phones.py" line="+1"/>
        <source>“{value}” is not a phone number.</source>
        <translation>“{value}”不是有效的电话号码。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: “{value}” is not a valid phone number.</source>
        <translation>{field}：“{value}”不是有效的电话号码。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field}: “{value}” has {count} digits; a mobile number in China has 11.</source>
        <translation>{field}：“{value}”有 {count} 位数字；中国大陆手机号码为 11 位。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/rules.py" line="+40"/>
        <source>{field} is required.</source>
        <translation>请填写{field}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} is longer than {limit} characters.</source>
        <translation>{field}不能超过 {limit} 个字符。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{value}” is not an email address.</source>
        <translation>“{value}”不是有效的邮箱地址。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} cannot be “{value}”; use one of: {allowed}.</source>
        <translation>{field}不能是“{value}”，请从以下选项中选择：{allowed}。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} must be a number, not “{value}”.</source>
        <translation>{field}必须是数字，不能是“{value}”。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} “{value}” is split where no thousands end: a comma or a space goes only between thousands (1,250.00), and the decimal point is a dot (12.50).</source>
        <translation>{field}“{value}”的分隔位置不对：逗号或空格只能用来分隔千位（1,250.00），小数点请写成点（12.50）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{field} must be between {low} and {high}.</source>
        <translation>{field}必须在 {low} 到 {high} 之间。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} “{value}” has more than two decimals; money is counted to the fen.</source>
        <translation>{field}“{value}”超过两位小数；金额只精确到分。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field} cannot be less than {low}.</source>
        <translation>{field}不能小于 {low}。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/dates.py" line="+17"/>
        <source>{field} must be a date like 2024-03-31, not “{value}”.</source>
        <translation>{field}必须是日期（如 2024-03-31），不能是“{value}”。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} must start with the year, like 2026-01-05; “{value}” could mean two different days.</source>
        <translation>{field}须以年份开头，例如 2026-01-05；“{value}”可能指两个不同的日子。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{field} holds “{value}”, the number a spreadsheet keeps for a date: format the column as dates in the spreadsheet before saving it, or type the date like 2026-01-05.</source>
        <translation>{field}是“{value}”，这是表格软件内部保存日期用的数字：请先在表格软件中把这一列设为日期格式再保存，或者按 2026-01-05 的格式填写日期。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/rules.py" line="+1"/>
        <source>{field} must be yes or no, not “{value}”.</source>
        <translation>{field}只能填“是”或“否”，不能是“{value}”。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no field called “{value}”.</source>
        <translation>没有名为“{value}”的字段。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{field} contains a control character ({code}); remove it.</source>
        <translation>{field}含有控制字符（{code}），请删除。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/services/writer.py" line="+77"/>
        <source>No {entity} with id {id} exists (it may be deleted).</source>
        <translation>找不到 ID 为 {id} 的{entity}（可能已被删除）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the rep you enter this record for: it will be theirs, not yours.</source>
        <translation>请选择您代为录入的业务员：该记录将归其所有，而不是您。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chosen {entity} belongs to another customer; choose one of this customer&apos;s.</source>
        <translation>所选的{entity}属于另一个客户；请选择这个客户的。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The end date is before the start date.</source>
        <translation>到期日期早于开始日期。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A contract cannot renew itself.</source>
        <translation>合同不能续签它自己。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A terminated contract needs its end date: the day it stopped (instalments after it are no longer owed).</source>
        <translation>已终止的合同需要填写到期日期，即终止的那一天（此后的分期款不再应收）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This contract has a payment plan, payments or a renewal, which are its customer&apos;s: it stays with that customer. Add a new contract for the other one.</source>
        <translation>这份合同已有回款计划、回款或续约，它们属于原客户：合同只能留在原客户名下。请为另一位客户新建合同。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Contract {number} is already renewed by contract {renewal}.</source>
        <translation>合同 {number} 已由合同 {renewal} 续签。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A follow-up records what happened: its time can&apos;t be later than today.</source>
        <translation>跟进记录的是已经发生的事：时间不能晚于今天。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The next step&apos;s date is before the follow-up itself.</source>
        <translation>下一步的日期早于这次跟进本身。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A work log is written for a day that has come; {day} is still ahead.</source>
        <translation>工作日志只能写已经到来的日子；{day} 还没到。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field} “{value}” is already used by another {entity}.</source>
        <translation>{field}“{value}”已被另一个{entity}使用。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/services/merging.py" line="+54"/>
        <source>Choose two different records to merge.</source>
        <translation>请选择两条不同的记录来合并。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only contacts of the same customer can be merged; move one of them first.</source>
        <translation>只能合并同一客户的联系人；请先移动其中一位。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/commands/demo.py" line="-107"/>
        <location filename="../../crm_desktop/views/first_run_wizard.py" line="-138"/>
        <source>Demo data is only for a profile that works on this computer: it must never reach a company server.</source>
        <translation>演示数据只能用于只在本机使用的数据档案：绝不能进入公司服务器。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/transfer/undo.py" line="+70"/>
        <source>There is no such import on this computer.</source>
        <translation>这台电脑上没有这次导入。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This import was undone already.</source>
        <translation>这次导入已经撤销过了。</translation>
    </message>
    <message>
        <location filename="../../crm_desktop/models/identifiers.py" line="+28"/>
        <source>“{value}” is not an ID card number: it has 18 characters (17 digits, then a digit or X) or, on the oldest cards, 15 digits.</source>
        <translation>“{value}”不是身份证号码：身份证号码有 18 位（17 位数字，最后一位是数字或 X），最早的一代为 15 位数字。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{value}” is not a valid ID card number: its birth date or its last character does not fit the others; check the digits.</source>
        <translation>“{value}”不是有效的身份证号码：出生日期或最后一位校验码与其他数字对不上；请核对号码。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>“{value}” is not a valid tax number: its last character does not fit the others; check the characters.</source>
        <translation>“{value}”不是有效的税号：最后一位校验码与其他字符对不上；请核对号码。</translation>
    </message>
</context>
<context>
    <name>WorkLogView</name>
    <message>
        <location filename="../../crm_desktop/views/work_log_view.py" line="+93"/>
        <source>‹ Previous day</source>
        <translation>‹ 前一天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next day ›</source>
        <translation>后一天 ›</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Day of the log</source>
        <translation>日志日期</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>My log</source>
        <translation>我的日志</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+4"/>
        <location line="+353"/>
        <source>What I did</source>
        <translation>今日工作</translation>
    </message>
    <message>
        <location line="-356"/>
        <location line="+4"/>
        <location line="+353"/>
        <source>Tomorrow&apos;s plan</source>
        <translation>明日计划</translation>
    </message>
    <message>
        <location line="-356"/>
        <location line="+4"/>
        <location line="+353"/>
        <source>Problems</source>
        <translation>遇到的问题</translation>
    </message>
    <message>
        <location line="-352"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Comments on my log</source>
        <translation>我的日志收到的评论</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+46"/>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Team&apos;s logs</source>
        <translation>团队的日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Your comment</source>
        <translation>您的评论</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your comment on this log</source>
        <translation>您对这篇日志的评论</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add comment</source>
        <translation>添加评论</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Work log not saved</source>
        <translation>工作日志没有保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your log of {day} is not saved. Leave it and lose what you typed?</source>
        <translation>您 {day} 的日志还没保存。离开并丢弃已输入的内容吗？</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>No log for {day} yet, and this computer has no follow-ups, new customers or finished tasks of yours that day to fill in: write what you did, your plan and problems, then save.</source>
        <translation>{day} 还没有日志，这台电脑上也没有您当天的跟进、新客户或已完成任务可以填入：请写下您做了什么、计划和问题，然后保存。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No log for {day} yet. What you did is filled in from this device&apos;s records: edit it, add your plan and problems, then save.</source>
        <translation>{day} 还没有日志。今日工作已根据这台电脑上的记录填好：请修改，写上计划和问题，然后保存。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Your log of {day}, last saved {when}.</source>
        <translation>您 {day} 的日志，最后保存于 {when}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No comments yet.</source>
        <translation>还没有评论。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Written</source>
        <translation>已写</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No log yet</source>
        <translation>还没写</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n comment(s)</source>
        <translation>
            <numerusform>%n 条评论</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nobody&apos;s logs reach this device yet.</source>
        <translation>这台电脑上还没有任何人的日志。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No log yet for {day}: {names}</source>
        <translation>{day} 还没写日志的人：{names}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Everyone wrote a log for {day}.</source>
        <translation>{day} 每个人都写了日志。</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>…and %n more</source>
        <translation>
            <numerusform>…还有 %n 项</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>Follow-ups (%n):</source>
        <translation>
            <numerusform>跟进（%n 条）：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>- {customer} ({kind}): {text}</source>
        <translation>- {customer}（{kind}）：{text}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>- {customer} ({kind})</source>
        <translation>- {customer}（{kind}）</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>New customers (%n):</source>
        <translation>
            <numerusform>新客户（%n 个）：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Tasks done (%n):</source>
        <translation>
            <numerusform>完成的任务（%n 个）：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>- {task} ({customer})</source>
        <translation>- {task}（{customer}）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{who}, {when}: {text}</source>
        <translation>{who}，{when}：{text}</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>No log yet for {day}.</source>
        <translation>{day} 还没有日志。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Nothing changed.</source>
        <translation>没有改动。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Comment added.</source>
        <translation>评论已添加。</translation>
    </message>
</context>
</TS>
