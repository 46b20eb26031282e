<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Action</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="+135" />
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Do not accept</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Divert</source>
        <translation>分流</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assign</source>
        <translation>分派</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Start mediation</source>
        <translation>开始调解</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation succeeded</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation failed</source>
        <translation>调解不成</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Transfer to court or department</source>
        <translation>移送法院/转办部门</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Submit for closure review</source>
        <translation>提交结案审核</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Approve closure</source>
        <translation>审核结案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Send back for rework</source>
        <translation>驳回重办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reopen mediation</source>
        <translation>重新调解</translation>
    </message>
</context>
<context>
    <name>ActionPrompt</name>
    <message>
        <location line="+3" />
        <source>Reason for not accepting</source>
        <translation>不予受理的理由</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Where it is diverted to, and why</source>
        <translation>分流去向及理由</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Why mediation failed</source>
        <translation>调解不成的原因</translation>
    </message>
    <message>
        <location line="+1" />
        <source>How the case was withdrawn</source>
        <translation>撤回的情况</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Where it is transferred to</source>
        <translation>移送或转办的去向</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reason for sending it back</source>
        <translation>驳回的理由</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Why mediation is reopened</source>
        <translation>重新调解的原因</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/first_run.py" line="+352" />
        <source>The first administrator</source>
        <translation>第一个系统管理员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This account manages users and settings. Create the other accounts after signing in, under Organisation.</source>
        <translation>此账户管理用户和设置。登录后在“组织机构”中创建其他账户。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>At least 8 characters, with at least three of: lower-case letters, upper-case letters, digits, symbols.</source>
        <translation>至少 8 个字符，并包含小写字母、大写字母、数字、符号中的至少三类。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Full &amp;name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pass&amp;word</source>
        <translation>密码(&amp;W)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Repeat the password</source>
        <translation>再次输入密码(&amp;R)</translation>
    </message>
</context>
<context>
    <name>AgreementTab</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/agreement.py" line="+489" />
        <source>Draft a written agreement</source>
        <extracomment>Asks the signing date (None: cancelled); a seam so tests answer without a modal loop. The open conflict dialog (another desk saved the agreement being edited), if any.</extracomment>
        <translation>起草书面协议</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Register an oral agreement</source>
        <translation>登记口头协议</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Written agreement (人民调解协议书)</source>
        <translation>书面协议（人民调解协议书）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Oral agreement registration (口头协议登记表)</source>
        <translation>口头协议（口头协议登记表）</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Each side's responsibility as the parties accept it</source>
        <translation>当事人认可的各方责任</translation>
    </message>
    <message>
        <location line="+3" />
        <source> copies</source>
        <translation> 份</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Add term</source>
        <translation>添加一项</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add a term below the current one (Ctrl+N)</source>
        <translation>在当前项之后添加协议内容（Ctrl+N）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove term</source>
        <translation>删除一项</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove the current term (Ctrl+Delete)</source>
        <translation>删除当前协议内容（Ctrl+Delete）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Move the current term up (Alt+Up)</source>
        <translation>上移当前协议内容（Alt+↑）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Move the current term down (Alt+Down)</source>
        <translation>下移当前协议内容（Alt+↓）</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save the agreement (Ctrl+S)</source>
        <translation>保存协议（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Signed…</source>
        <translation>已签名…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Everyone signed: record the date it takes effect</source>
        <translation>各方已签署：登记生效日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Preview / print…</source>
        <translation>预览/打印…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Preview and print the saved agreement (Ctrl+P)</source>
        <translation>预览并打印已保存的协议（Ctrl+P）</translation>
    </message>
    <message>
        <location line="+12" />
        <location line="+400" />
        <source>Form</source>
        <translation>协议形式</translation>
    </message>
    <message>
        <location line="-399" />
        <location line="+399" />
        <source>Main facts</source>
        <translation>主要事实</translation>
    </message>
    <message>
        <location line="-398" />
        <location line="+399" />
        <source>Disputed matters</source>
        <translation>争议事项</translation>
    </message>
    <message>
        <location line="-398" />
        <location line="+399" />
        <source>Responsibilities</source>
        <translation>各方责任</translation>
    </message>
    <message>
        <location line="-398" />
        <location line="+398" />
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <location line="-385" />
        <location line="+386" />
        <source>Agreed terms</source>
        <translation>协议内容</translation>
    </message>
    <message>
        <location line="-372" />
        <source>Parties (from the case)</source>
        <translation>当事人（取自案件）</translation>
    </message>
    <message>
        <location line="+95" />
        <source>At least {n}: one for each party and one kept by the committee.</source>
        <translation>至少 {n} 份：当事人各执一份，调委会留存一份。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No agreement yet. Draft one from the case when the parties agree.</source>
        <translation>尚无调解协议。当事人达成一致后，可依据案件起草协议。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>No agreement yet. The mediators of the case's team draft it.</source>
        <translation>尚无调解协议。协议由本案调解团队的调解员起草。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>No agreement: agreements are drafted while the case is in mediation.</source>
        <translation>没有调解协议：调解协议在调解阶段起草。</translation>
    </message>
    <message>
        <location line="+42" />
        <source>Written agreement</source>
        <translation>人民调解协议书</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+270" />
        <source>Oral agreement registration</source>
        <translation>人民调解口头协议登记表</translation>
    </message>
    <message>
        <location line="-267" />
        <source>Draft: it takes effect when everyone has signed.</source>
        <translation>草稿：各方签署后生效。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Signed on {signed}, in effect from {effective}; it can no longer be changed.</source>
        <translation>已于 {signed} 签署，自 {effective} 起生效，不能再修改。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Judicial confirmation must be applied for by {due} ({days} days left).</source>
        <translation>须在 {due} 前申请司法确认（还剩 {days} 天）。</translation>
    </message>
    <message>
        <location line="+74" />
        <source>In capitals: {capitals}</source>
        <translation>大写：{capitals}</translation>
    </message>
    <message>
        <location line="+62" />
        <source>Signed: the agreement is in effect.</source>
        <translation>已签署：协议已生效。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location line="+122" />
        <source>Mediation agreement</source>
        <translation>人民调解协议书</translation>
    </message>
    <message>
        <source>Term {number}: {message}</source>
        <translation>第 {number} 项：{message}</translation>
    </message>
    <message>
        <source>Merge markers left</source>
        <translation>合并标记未删除</translation>
    </message>
    <message>
        <source>“{field}” still holds the 【】 markers of the merge with your colleague's save. Save it with the markers? Choose No to combine the two passages and delete the markers first.</source>
        <translation>“{field}”里还留有与同事内容合并时的【】标记。要连同标记一起保存吗？选“否”可先合并两段文字、删除标记。</translation>
    </message>
    <message>
        <source>Your changes and {who}'s are both in the form, not yet saved. Where you both changed the same passage ({fields}), both are kept (texts between 【】 markers, terms one after the other): combine them, then save.</source>
        <translation>您的修改和{who}保存的内容都已放入表单，尚未保存。双方改了同一处的地方（{fields}），两边的内容都保留（文字放在【】标记之间，协议条款前后并列）：请合并后再保存。</translation>
    </message>
    <message>
        <source>Your changes and {who}'s are both in the form, not yet saved: check them, then save.</source>
        <translation>您的修改和{who}保存的内容都已放入表单，尚未保存：请核对后再保存。</translation>
    </message>
    <message>
        <source>your colleague</source>
        <translation>同事</translation>
    </message>
</context>
<context>
    <name>AssignPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/routing.py" line="+272" />
        <source>Recusal check: decide for each mediator named below.</source>
        <extracomment>The case was assigned (its id). The user closed the panel without assigning. Someone else changed the case meanwhile: the page should reload. Bumped whenever the chosen mediators change, so an older check's answer is dropped.</extracomment>
        <translation>回避审查：请对下列每位调解员作出决定。</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Assign</source>
        <translation>分派</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Route</source>
        <translation>改派</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Team</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Lead mediator</source>
        <translation>主办调解员</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Co-mediators</source>
        <translation>协办调解员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Joint mediation with departments</source>
        <translation>联合调解部门</translation>
    </message>
    <message>
        <location line="+71" />
        <source>No active team yet: ask the administrator to set up the teams.</source>
        <translation>尚无在用的调解团队，请联系系统管理员设置。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Suggested: {team} ({open} open cases)</source>
        <translation>建议分派：{team}（在办 {open} 件）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>, lead {lead}</source>
        <translation>，主办 {lead}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>. No team handles this dispute type: choose the most suitable one.</source>
        <translation>。没有团队负责此类纠纷，请选择最合适的团队。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>{team} — handles this type, {open} open</source>
        <translation>{team} — 负责此类纠纷，在办 {open} 件</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{team} — {open} open</source>
        <translation>{team} — 在办 {open} 件</translation>
    </message>
    <message>
        <location line="+25" />
        <source>{name} (leads {open} open cases)</source>
        <translation>{name}（主办在办 {open} 件）</translation>
    </message>
    <message>
        <location line="+5" />
        <source>This team has no active member to lead the case: choose another team, or ask the administrator to add members.</source>
        <translation>该团队没有可主办的在岗成员：请另选团队，或请系统管理员添加成员。</translation>
    </message>
    <message>
        <location line="+80" />
        <source>{name} recuses: choose another lead mediator.</source>
        <translation>{name}回避：请另选主办调解员。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>{name} recuses and was taken off the case.</source>
        <translation>{name}回避，已从本案撤出。</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Choose the team the case goes to.</source>
        <translation>请选择承办的调解团队。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Choose the lead mediator.</source>
        <translation>请选择主办调解员。</translation>
    </message>
</context>
<context>
    <name>AttachmentKind</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/models.py" line="+39" />
        <source>Application</source>
        <extracomment>Longer side of a thumbnail as made (the views show it smaller). The square each document's first page is shown in, in the list of documents.</extracomment>
        <translation>申请书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Proof of identity</source>
        <translation>身份证明</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Power of attorney</source>
        <translation>授权委托书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Evidence</source>
        <translation>证据材料</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Signed document</source>
        <translation>签字文书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Proof of performance</source>
        <translation>履行凭证</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/audit.py" line="+67" />
        <source>Time</source>
        <extracomment>Details that have their own column.</extracomment>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <location line="+20" />
        <source>All users</source>
        <extracomment>Double-click on an entry about a case: its id.</extracomment>
        <translation>全部用户</translation>
    </message>
    <message>
        <location line="+2" />
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location line="+1" />
        <source>From</source>
        <translation>日期从</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Search object and details…</source>
        <translation>在对象和详情中查找…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <location line="+3" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+4" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+25" />
        <source>Verify integrity</source>
        <translation>验证完整性</translation>
    </message>
    <message>
        <location line="+112" />
        <source>{shown} of {total} entries shown, newest first</source>
        <translation>共 {total} 条，已显示 {shown} 条（最新的在前）</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Checking every entry of the audit log…</source>
        <translation>正在逐条核验审计日志…</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>截止日期</translation>
    </message>
</context>
<context>
    <name>AwaitingModel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk/desk.py" line="+174" />
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Diverted to</source>
        <translation>分流去向</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Body</source>
        <translation>接收单位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sent</source>
        <translation>分流时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Days waiting</source>
        <translation>已等待天数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reason</source>
        <translation>分流理由</translation>
    </message>
</context>
<context>
    <name>BackupPanel</name>
    <message>
        <source>No backup in this folder yet: “Back up now” makes one, and so does the first start of the desk each day.</source>
        <translation>此文件夹中尚无备份：点“立即备份”即可备份一份，每天首次启动本软件时也会自动备份。</translation>
    </message>
    <message>
        <source>The backup {file} passed every check.</source>
        <translation>备份 {file} 已通过全部检查。</translation>
    </message>
    <message>
        <source>Not restored: the database was not changed.</source>
        <translation>未恢复，数据库没有改动。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>On this center server, backups and restores are made by IT with pg_dump under the database owner's account; this desk cannot export or load the server's data.</source>
        <translation>本中心服务器的备份和恢复由信息技术人员以数据库所有者账户用 pg_dump 完成；本机不能导出或导入服务器数据。</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/admin/backup.py" line="+95" />
        <source>Backup folder: {folder}</source>
        <extracomment>The database was replaced by a backup: everyone should sign in again (the integrator closes the main window and shows the login). Progress from the worker thread: (done, total).</extracomment>
        <translation>备份文件夹：{folder}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>A backup is made every day when the desk starts (the last 14 are kept) and before every upgrade of the database (kept until you delete them). On a center server, also back up the server with pg_dump.</source>
        <translation>每天首次启动时自动备份一次（保留最近 14 份），每次升级数据库结构前也会备份（不自动删除）。使用中心服务器时，另请用 pg_dump 备份服务器。</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Restore from backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+44" />
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Backed up to {path}.</source>
        <translation>已备份到 {path}。</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Restore from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Database backups (*.sqlite3)</source>
        <translation>数据库备份 (*.sqlite3)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Checking {file}…</source>
        <translation>正在检查 {file}…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Replace the whole database with the backup {file}?</source>
        <translation>用备份 {file} 替换整个数据库？</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The backup passed the integrity check, its schema is exactly that of its version and its audit chain verifies. It holds {cases} cases, {users} accounts and {entries} audit entries (schema {revision}).

Everything entered since that backup was made will no longer be in the database. A copy of the database as it is now is saved first in the backup folder. Everyone must sign in again afterwards.</source>
        <translation>该备份已通过完整性检查，其数据库结构与其版本应有的结构完全一致，审计日志核验通过。包含 {cases} 件案件、{users} 个账户、{entries} 条审计记录（结构版本 {revision}）。

该备份之后录入的全部内容将不再在数据库中。恢复前，当前数据库会先另存一份到备份文件夹。恢复后所有人须重新登录。</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Replace the database</source>
        <translation>替换数据库</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Restoring from {file}…</source>
        <translation>正在从 {file} 恢复…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The database was restored from {file}.</source>
        <translation>已从 {file} 恢复数据库。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The database as it was before is saved as {file}.</source>
        <translation>恢复前的数据库已另存为 {file}。</translation>
    </message>
</context>
<context>
    <name>BackupsModel</name>
    <message>
        <location line="-176" />
        <source>Made</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File</source>
        <translation>文件</translation>
    </message>
</context>
<context>
    <name>CalendarPanel</name>
    <message>
        <source>{count} days entered.</source>
        <translation>已登记 {count} 天。</translation>
    </message>
    <message>
        <source>{count} days removed.</source>
        <translation>已删除 {count} 天。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>The clocks of the open cases will be recalculated when the center head next signs in.</source>
        <translation>未办结案件的办理期限将在中心主任下次登录时重新计算。</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/admin/calendar.py" line="+244" />
        <source>Day off</source>
        <extracomment>"library", "table" or "none" for the year shown. The current and next year when neither the library nor the table knows them. The panel read its data again.</extracomment>
        <translation>放假</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Make-up working day</source>
        <translation>调休上班</translation>
    </message>
    <message>
        <location line="+2" />
        <source>e.g. Spring Festival</source>
        <translation>如：春节</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location line="+4" />
        <source>From</source>
        <translation>自</translation>
    </message>
    <message>
        <location line="+2" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Holidays and make-up working days</source>
        <translation>节假日与调休</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Only the administrator can change the holiday table.</source>
        <translation>只有系统管理员可以修改节假日表。</translation>
    </message>
    <message>
        <location line="+6" />
        <location line="+115" />
        <source>All dispute types</source>
        <translation>全部纠纷类型</translation>
    </message>
    <message>
        <location line="-105" />
        <source>working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <location line="+1" />
        <source>calendar days</source>
        <translation>自然日</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Save limit</source>
        <translation>保存期限</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Limits for</source>
        <translation>期限适用于</translation>
    </message>
    <message>
        <location line="+7" />
        <source>yellow from</source>
        <translation>黄色预警：到期前</translation>
    </message>
    <message>
        <location line="+3" />
        <source>days before</source>
        <translation>天</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Time limits</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{year}: no schedule yet — Monday to Friday count as working days.</source>
        <translation>{year} 年：尚无安排，暂按周一至周五为工作日计算。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The holiday schedule for {years} has not been entered yet. Until it is, deadlines in {years} count Monday to Friday as working days. Enter the State Council's schedule, with its make-up working days, as soon as it is published.</source>
        <translation>{years} 年节假日安排尚未录入。录入之前，{years} 年的期限暂按周一至周五为工作日计算。国务院办公厅公布安排后，请尽快录入（含调休上班日）。</translation>
    </message>
    <message>
        <location line="+5" />
        <source> Ask the administrator to enter it.</source>
        <translation>请联系系统管理员录入。</translation>
    </message>
    <message>
        <location line="+52" />
        <source>The last day is before the first.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Enter at most a month at a time.</source>
        <translation>每次最多录入一个月。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>{count} days entered; the clocks of {moved} cases were recalculated.</source>
        <translation>已录入 {count} 天；已重新计算 {moved} 件案件的期限。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Select the days to remove.</source>
        <translation>请选择要删除的日期。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>{count} days removed; the clocks of {moved} cases were recalculated.</source>
        <translation>已删除 {count} 天；已重新计算 {moved} 件案件的期限。</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Select a stage to change its limit.</source>
        <translation>选择一个阶段以修改其期限。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{stage} — {scope}</source>
        <translation>{stage} — {scope}</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Saved. {count} open cases now run on the new limit.</source>
        <translation>已保存。{count} 件在办案件已按新期限计时。</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>{first} to {last}</source>
        <translation>{first}至{last}</translation>
    </message>
    <message>
        <source>Enter holidays</source>
        <translation>录入节假日</translation>
    </message>
    <message>
        <source>{span} ({count} days) will be entered as “{kind}”{name}. The deadlines of every open case are recalculated at once and the cases' clocks move.</source>
        <translation>将把{span}（共{count}天）录入为“{kind}”{name}。所有在办案件的期限将立即重新计算，案件时钟随之变化。</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>录入</translation>
    </message>
    <message>
        <source>{year}: the State Council's schedule is built in ({built_in} days, marked “Built in”); the {count} days the center entered replace the built-in answer on those days only.</source>
        <translation>{year} 年：已内置国务院放假安排（共 {built_in} 天，标为“内置”）；本中心录入的 {count} 天仅在当天取代内置安排。</translation>
    </message>
    <message>
        <source>{year}: the State Council's schedule is built in ({built_in} days, marked “Built in”). A day entered here replaces the built-in answer for that day only.</source>
        <translation>{year} 年：已内置国务院放假安排（共 {built_in} 天，标为“内置”）。在此录入的日期仅在当天取代内置安排。</translation>
    </message>
    <message>
        <source>{year}: not built in; the {count} days the center entered are this year's schedule, and the other days count Monday to Friday as working days.</source>
        <translation>{year} 年：未内置放假安排；本年以本中心录入的 {count} 天为准，其余日期按周一至周五为工作日计算。</translation>
    </message>
    <message>
        <source>The built-in days cannot be removed: enter the day with the right kind to replace it.</source>
        <translation>内置日期不能删除：请按正确类别录入该日，以取代内置安排。</translation>
    </message>
    <message>
        <source>Mediation rooms…</source>
        <translation>调解室设置…</translation>
    </message>
</context>
<context>
    <name>CaseDetailView</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/detail.py" line="+196" />
        <source>Double-click a case in the list, or press Enter, to open it.</source>
        <extracomment>The running clock on the page's "today" (None when no limit runs). Whether this user may grant an extension (the head, or a mediator of the case's team). A case was shown (after a load or reload): its id.</extracomment>
        <translation>在左侧列表中双击案件（或选中后按回车键）即可在此查看。</translation>
    </message>
    <message>
        <location line="+36" />
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Team</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Lead mediator</source>
        <translation>承办调解员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Received</source>
        <translation>收案时间</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Accepted</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Closed</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <location line="+0" />
        <source>People involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Amount involved</source>
        <translation>涉及金额</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Place</source>
        <translation>纠纷地点</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{field}:</source>
        <translation>{field}：</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Handle this case</source>
        <translation>办理</translation>
    </message>
    <message>
        <location line="+8" />
        <source>You cannot change this case in its current state.</source>
        <translation>案件当前状态下您没有可执行的操作。</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Facts and requests</source>
        <translation>纠纷事实及申请事项</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Timeline</source>
        <translation>办理经过</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Overview</source>
        <translation>概况</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Records</source>
        <translation>笔录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Agreement</source>
        <translation>调解协议</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Judicial confirmation</source>
        <translation>司法确认</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Termination and transfer</source>
        <translation>终结与移送</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Return visits</source>
        <translation>回访</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Documents</source>
        <translation>文书</translation>
    </message>
    <message>
        <location line="+86" />
        <source>Risk: {level}</source>
        <extracomment>The open conflict dialog (another desk moved the case first), if any.</extracomment>
        <translation>风险：{level}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Group dispute</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <location line="+2" />
        <source>May turn criminal</source>
        <translation>可能民转刑</translation>
    </message>
    <message>
        <location line="+5" />
        <source>{amount} yuan</source>
        <translation>{amount} 元</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Not assigned</source>
        <translation>尚未分派</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No facts recorded yet.</source>
        <translation>尚未填写纠纷事实。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Requests:</source>
        <translation>申请事项：</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No requests recorded.</source>
        <translation>尚未填写申请事项。</translation>
    </message>
    <message>
        <location line="+26" />
        <source>Needs a note: {prompt}</source>
        <translation>需在备注中填写：{prompt}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Optional note for the timeline</source>
        <translation>备注（记入办理经过，可不填）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Route to a team…</source>
        <translation>改派承办团队…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Give the case to a team of the center handling it, with its lead mediator.</source>
        <translation>将案件交给承办中心的调解团队，并指定主办调解员。</translation>
    </message>
    <message>
        <location line="+2" />
        <source> (required: {prompts})</source>
        <translation>；以下操作必须填写：{prompts}</translation>
    </message>
    <message>
        <location line="+0" />
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+73" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+11" />
        <source>“{action}” is no longer possible in the case's present state.</source>
        <translation>案件当前的状态下已不能再“{action}”。</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Waiting for the feedback of “{body}”: record it below first.</source>
        <translation>尚未收到“{body}”的反馈：请先在下方登记反馈。</translation>
    </message>
    <message>
        <source>{number} overview: {parts}</source>
        <translation>{number} 概况：{parts}</translation>
    </message>
    <message>
        <source>the note for the next step</source>
        <translation>办理备注</translation>
    </message>
    <message>
        <source>a supervision order</source>
        <translation>督办要求</translation>
    </message>
    <message>
        <source>the answer to a supervision order</source>
        <translation>督办回复</translation>
    </message>
    <message>
        <source>the feedback of a diversion</source>
        <translation>分流反馈</translation>
    </message>
    <message>
        <source>Witnesses and evidence</source>
        <translation>证人与证据</translation>
    </message>
    <message>
        <source>Approve closure</source>
        <translation>审核结案</translation>
    </message>
    <message>
        <source>Once approved, case {number} is closed; this cannot be withdrawn.</source>
        <translation>审核通过后案件{number}将结案，不能撤回。</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>调解会</translation>
    </message>
    <message>
        <source>Flags for the statistics</source>
        <translation>统计标记</translation>
    </message>
    <message>
        <source>Major dispute</source>
        <translation>重大矛盾纠纷</translation>
    </message>
    <message>
        <source>May lead to a group petition</source>
        <translation>可能引发群体性上访</translation>
    </message>
    <message>
        <source>Save flags</source>
        <translation>保存标记</translation>
    </message>
    <message>
        <source>Flags saved.</source>
        <translation>标记已保存。</translation>
    </message>
    <message>
        <source>Record a rating…</source>
        <translation>录入评价…</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/list_model.py" line="+162" />
        <source>Case number</source>
        <extracomment>Gives "today" to whatever colours a clock; tests move it instead of waiting for days to pass. When the running stage is due, with its green / yellow / red dot.</extracomment>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Received</source>
        <translation>收案时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title</source>
        <translation>纠纷名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Applicants</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Team</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Lead mediator</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Updated</source>
        <translation>最后更新</translation>
    </message>
    <message>
        <location line="+72" />
        <source>This column cannot be sorted</source>
        <extracomment>The columns that sort, each on an index of dispute_case. The whole ``CaseRow`` (None while the row is loading). The ``ClockColour`` of the row's clock today (None when no clock runs). The number of rows matching the query is known (after a new query or a refresh). Rows ``first`` … ``last`` arrived. A refresh after a change finished (rows may have moved under the selection). Bumped by every new query or refresh; results of older generations are dropped. A count is on its way; until then rows are not fetched one window at a time. The count on its way belongs to a new query (rows restart at the top).</extracomment>
        <translation>此列不能排序</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+32" />
        <source>{meaning}: {stage}, due {due}</source>
        <translation>{meaning}：{stage}，{due} 到期</translation>
    </message>
</context>
<context>
    <name>CaseListView</name>
    <message>
        <source>Counting the cases…</source>
        <translation>正在统计案件数…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln case(s), counting again…</source>
        <translation>
            <numerusform>共 %Ln 件（正在重新统计…）</numerusform>
        </translation>
    </message>
    <message>
        <source>All cases I handle</source>
        <translation>全部我承办的</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>待办</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>To do: cases still open and not awaiting closure review. Overdue: open cases whose current time limit has passed.</source>
        <translation>待办：尚未办结、也不在等待结案审核的案件。超期：仍在办理中且当前期限已过的案件。</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/cases/list_view.py" line="+95" />
        <source>Search: name, ID or phone (or its last digits), case number, title or facts (Ctrl+F)</source>
        <extracomment>The pause after the last keystroke before the list is searched (Enter searches at once). Only the cases this mediator leads or co-mediates. Double-click or Enter on a row: the case id.</extracomment>
        <translation>搜索：姓名、身份证号或电话（可只输后几位）、案号、案件名称或案情（Ctrl+F）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Clear the search and show every case</source>
        <translation>清除搜索，显示全部案件</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Received from</source>
        <translation>收案日期从</translation>
    </message>
    <message>
        <location line="+2" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Show all cases</source>
        <translation>显示全部案件</translation>
    </message>
    <message>
        <location line="+9" />
        <location line="+122" />
        <source>All dispute types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="-103" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location line="+68" />
        <source>All my teams</source>
        <translation>本团队（全部）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>All teams</source>
        <translation>全部团队</translation>
    </message>
    <message>
        <location line="+9" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1" />
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Awaiting intake and assignment</source>
        <translation>待受理、待分派</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Being mediated</source>
        <translation>调解阶段</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Finished</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location line="+50" />
        <source>Statistics: {figure}</source>
        <translation>统计口径：{figure}</translation>
    </message>
    <message numerus="yes">
        <location line="+101" />
        <source>%Ln case(s)</source>
        <translation>
            <numerusform>共 %Ln 件</numerusform>
        </translation>
    </message>
    <message>
        <source>First day received</source>
        <translation>收案起始日期</translation>
    </message>
    <message>
        <source>Last day received</source>
        <translation>收案截止日期</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/cases/list_view.py" line="+0" />
        <source>No case to list here. A filter or the search may hide some: Clear filters shows them all.</source>
        <translation>这里没有案件。筛选条件或搜索可能隐藏了部分案件，点“清除筛选”可显示全部。</translation>
    </message>
</context>
<context>
    <name>CaseState</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="-111" />
        <source>Registered</source>
        <extracomment>The interface languages offered in the settings menu, each named in its own language. The family name inside resources/fonts/NotoSansCJKsc-Regular.ttf.</extracomment>
        <translation>登记</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not accepted</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Diverted</source>
        <translation>分流</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Assigned</source>
        <translation>分派</translation>
    </message>
    <message>
        <location line="+1" />
        <source>In mediation</source>
        <translation>调解中</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation succeeded</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation failed</source>
        <translation>调解不成</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Transferred</source>
        <translation>已移送</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Withdrawn</source>
        <translation>撤回</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Closure review</source>
        <translation>结案审核</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Closed</source>
        <translation>结案</translation>
    </message>
</context>
<context>
    <name>CenterPage</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/first_run.py" line="-77" />
        <source>The center</source>
        <translation>中心信息</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Printed on every document and in every case number. An administrator can change them later.</source>
        <translation>印在每份文书和每个案号上。系统管理员以后可以修改。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>e.g. Ganzhou District Conflict Mediation Center</source>
        <translation>例如 张掖市甘州区矛盾纠纷调处中心</translation>
    </message>
    <message>
        <location line="+4" />
        <source>e.g. 甘矛调</source>
        <translation>例如 甘矛调</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Center &amp;name</source>
        <translation>中心名称(&amp;N)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Case-number &amp;prefix</source>
        <translation>案号前缀(&amp;P)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Case numbers will read</source>
        <translation>案号示例</translation>
    </message>
</context>
<context>
    <name>ClockLine</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/clock.py" line="+39" />
        <source>{stage}: {days} days overdue (due {due})</source>
        <extracomment>Days offered first when extending: a week is what heads grant most.</extracomment>
        <translation>{stage}已超期 {days} 天（{due} 到期）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{stage}: {days} working days overdue (due {due})</source>
        <translation>{stage}已超期 {days} 个工作日（{due} 到期）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{stage}: {days} days left (due {due})</source>
        <translation>{stage}剩余 {days} 天（{due} 到期）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{stage}: {days} working days left (due {due})</source>
        <translation>{stage}剩余 {days} 个工作日（{due} 到期）</translation>
    </message>
    <message>
        <location line="+1" />
        <source> · extended by {days} days</source>
        <translation> · 已延期 {days} 天</translation>
    </message>
    <message>
        <location line="+1" />
        <source> · extended by {days} working days</source>
        <translation> · 已延期 {days} 个工作日</translation>
    </message>
    <message>
        <location line="+10" />
        <source>{stage}: due today ({due})</source>
        <translation>{stage}今天到期（{due}）</translation>
    </message>
    <message>
        <location line="+31" />
        <source>Extend…</source>
        <extracomment>An extension was granted (the case id); the page reloads through the runner's changes.</extracomment>
        <translation>延期…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grant more days for the running stage, with a reason</source>
        <translation>为当前阶段延长期限（须填写理由）</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Why more time is needed (required)</source>
        <translation>延期理由（必填）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grant extension</source>
        <translation>批准延期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Extend by</source>
        <translation>延长</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location line="+33" />
        <source>No time limit is running for this case.</source>
        <translation>本案目前没有正在计时的期限。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Started {start}; turns yellow on {warn}; due {due}.</source>
        <translation>{start} 起算；{warn} 起黄色预警；{due} 到期。</translation>
    </message>
    <message>
        <location line="+2" />
        <source> working days</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <location line="+0" />
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>{card} on {day} ({stage})</source>
        <translation>{day} {card}（{stage}）</translation>
    </message>
    <message>
        <source>extension of {days}{unit} asked on {day}: {status}</source>
        <translation>{day} 申请延期 {days}{unit}：{status}</translation>
    </message>
    <message>
        <source>Ask for more days…</source>
        <translation>申请延期…</translation>
    </message>
    <message>
        <source>Ask the center head for more days for the running stage, with a reason</source>
        <translation>向中心主任申请延长当前环节的期限，须写明理由</translation>
    </message>
    <message>
        <source>Request sent: the center head approves or refuses it on the desk.</source>
        <translation>延期申请已提交，由中心主任在工作台审批。</translation>
    </message>
    <message>
        <source>Send request</source>
        <translation>提交申请</translation>
    </message>
</context>
<context>
    <name>ClockMeaning</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/list_model.py" line="-199" />
        <source>On time</source>
        <extracomment>Rows per window: a screen holds ~30 rows, so one window covers several screens of scrolling. Windows kept in memory (LRU): 40 × 150 = 6,000 rows, a few MB at most. Window requests allowed in the read lane at once; older queued ones are dropped when the user scrolls on, since the view asks again for whatever it still paints. Windows fetched again after a change: the ones the user most recently looked at. 红黄绿 of a case's clock: the background of its badge and the colour of its dot. Text on a clock badge: dark on yellow, which white would not stand out on. The meaning of each colour, for tooltips (the colour alone says nothing to a colour-blind user).</extracomment>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Due soon</source>
        <translation>临期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
</context>
<context>
    <name>ClockStage</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="+3" />
        <source>Decision to accept</source>
        <translation>受理审查</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation period</source>
        <translation>调解期限</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Hotline consultation reply</source>
        <translation>热线咨询答复</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Hotline request</source>
        <translation>热线诉求办理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Judicial confirmation application</source>
        <translation>司法确认申请</translation>
    </message>
    <message>
        <location line="+1" />
        <source>First return visit</source>
        <translation>首次回访</translation>
    </message>
</context>
<context>
    <name>ColourMode</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/models.py" line="+7" />
        <source>Colour</source>
        <extracomment>The order of the type lists: the dossier order of the Ministry of Justice formats.</extracomment>
        <translation>彩色</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grey</source>
        <translation>灰度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Black and white</source>
        <translation>黑白</translation>
    </message>
</context>
<context>
    <name>ConfirmationTab</name>
    <message>
        <source>The 30-day window closed on {deadline}: the application cannot be printed as filed within 30 days. Record the application first (step 1: the date and why it is late); the printed application then states both.</source>
        <translation>司法确认申请期限已于 {deadline} 届满，申请书不能写作“三十日内”申请。请先在第 1 步登记申请（申请日期和逾期原因），打印的申请书将如实写明逾期申请的日期和原因。</translation>
    </message>
    <message>
        <source>Decided on</source>
        <translation>裁定或撤回日期</translation>
    </message>
    <message>
        <source>the judicial confirmation application</source>
        <translation>司法确认申请</translation>
    </message>
    <message>
        <source>The court's result has been recorded meanwhile: this application can no longer be changed.</source>
        <translation>其间已登记法院的结果：该申请不能再修改。</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/confirmation.py" line="+57" />
        <source>Under review</source>
        <extracomment>Days left at which the window turns amber (the clock's default yellow warning).</extracomment>
        <translation>审查中</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ruled valid</source>
        <translation>裁定有效</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Application rejected</source>
        <translation>驳回申请</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Application withdrawn</source>
        <translation>撤回申请</translation>
    </message>
    <message>
        <location line="+73" />
        <source>Agreement:</source>
        <extracomment>After a successful write (the case page reloads itself). The page was read and shown (the case id). The application PDF was written (its path).</extracomment>
        <translation>调解协议：</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The basic people's court, in full</source>
        <translation>基层人民法院全称</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Why the parties apply after the 30 days</source>
        <translation>当事人超过30日申请的原因</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Late because</source>
        <translation>逾期原因</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Record application</source>
        <translation>登记申请</translation>
    </message>
    <message>
        <location line="+2" />
        <source>1. Joint application</source>
        <translation>一、共同申请</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Applied on</source>
        <translation>申请日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Court</source>
        <translation>受理法院</translation>
    </message>
    <message>
        <location line="+9" />
        <source>e.g. (2026)甘0702民特123号</source>
        <translation>如（2026）甘0702民特123号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Record acceptance</source>
        <translation>登记受理</translation>
    </message>
    <message>
        <location line="+2" />
        <source>2. Court acceptance</source>
        <translation>二、法院受理</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Accepted on</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Court case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+6" />
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Required when the court rejects the application</source>
        <translation>驳回申请时必须填写理由</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Record decision</source>
        <translation>登记结果</translation>
    </message>
    <message>
        <location line="+2" />
        <source>3. Decision</source>
        <translation>三、裁定结果</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Print the application for judicial confirmation…</source>
        <translation>打印司法确认申请书…</translation>
    </message>
    <message>
        <location line="+81" />
        <source>No agreement has taken effect yet: judicial confirmation is applied for once the agreement is signed.</source>
        <translation>调解协议尚未签署生效：协议生效后方可申请司法确认。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>This case has no mediation agreement, so there is nothing to confirm.</source>
        <translation>本案没有调解协议，无需司法确认。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>{kind} of {day}</source>
        <translation>{day}的{kind}</translation>
    </message>
    <message>
        <location line="+23" />
        <source>{kind}, in effect since {day}</source>
        <translation>{kind}，{day}生效</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Courts do not confirm this kind of agreement.</source>
        <translation>法院不受理此类协议的司法确认。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Check before applying.</source>
        <translation>申请前请核对。</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Applied on {applied}, within the window that ran to {deadline}.</source>
        <translation>已于{applied}申请，在申请期限（{deadline}）内。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Applied on {applied}, {days} days after the window closed on {deadline}.</source>
        <translation>已于{applied}申请，超过申请期限（{deadline}）{days}天。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The 30-day window closed on {deadline}: {days} days ago. Courts normally no longer accept the application.</source>
        <translation>30日申请期限已于{deadline}届满，已过{days}天，法院一般不再受理。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Last day to apply: today ({deadline}).</source>
        <translation>今天（{deadline}）是申请的最后一天。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Apply by {deadline}: {days} days left.</source>
        <translation>应于{deadline}前申请：剩余{days}天。</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Earlier application of {applied} to {court}: {result}.</source>
        <translation>{applied}曾向{court}申请：{result}。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Not applied for yet.</source>
        <translation>尚未申请。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Applied on {applied} to {court}.</source>
        <translation>{applied}向{court}申请。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Accepted on {accepted} under {number}.</source>
        <translation>{accepted}受理，案号{number}。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Waiting for the court to accept it.</source>
        <translation>等待法院受理。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{result} on {day}.</source>
        <translation>{day}{result}。</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Only the center head or a mediator of the case's team records this.</source>
        <translation>只有中心主任或承办团队的调解员可以登记。</translation>
    </message>
    <message>
        <location line="+59" />
        <source>Application recorded: the confirmation clock has stopped.</source>
        <translation>申请已登记，司法确认申请期限停止计时。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>The court's acceptance is recorded.</source>
        <translation>法院受理情况已登记。</translation>
    </message>
    <message>
        <location line="+15" />
        <source>The decision is recorded.</source>
        <translation>结果已登记。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Save the application for judicial confirmation</source>
        <translation>保存司法确认申请书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
    <message>
        <source>Date of the decision</source>
        <translation>裁定日期</translation>
    </message>
    <message>
        <source>{number} judicial confirmation: a step not recorded yet</source>
        <translation>{number} 司法确认：尚未登记的步骤</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/common/conflict_dialog.py" line="+107" />
        <source>Saved by someone else meanwhile</source>
        <translation>他人已先保存</translation>
    </message>
    <message>
        <location line="+3" />
        <source>While you were editing {what}, someone at another desk saved it. Your changes were NOT saved and nothing of theirs was overwritten. Compare the two versions below, then choose.</source>
        <translation>您编辑“{what}”期间，另一窗口的同事已保存了它。您的修改尚未保存，对方的内容也没有被覆盖。请对照下面两个版本，再选择如何处理。</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Reload (discard my changes)</source>
        <translation>重新载入（放弃我的修改）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Re-apply my changes and save</source>
        <translation>重新应用我的修改并保存</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Keep editing</source>
        <translation>继续编辑</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Take their version and put back on top of it only the fields you changed, then save. Where you both changed a field, your text replaces theirs.</source>
        <translation>以对方保存的版本为准，只把您改动过的栏目重新填上，然后保存。双方都改过的栏目，以您的文字替换对方的。</translation>
    </message>
    <message>
        <location line="+19" />
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+19" />
        <source>The other desk's save changed nothing you can edit here (for example only its status).</source>
        <translation>对方的保存没有改动此处可编辑的内容（例如只改了状态）。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Field</source>
        <translation>栏目</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Their version (saved)</source>
        <translation>对方的版本（已保存）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>My changes (not saved)</source>
        <translation>我的修改（未保存）</translation>
    </message>
    <message>
        <location line="+5" />
        <source>both changed</source>
        <translation>双方都改了</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Highlighted: changed since you opened it (what was added or rewritten in bold). Grey: unchanged.</source>
        <translation>底色标出的是您打开后被改动的内容（新增或改写的文字加粗）；灰色为未改动。</translation>
    </message>
    <message>
        <source>While you were editing {what}, {who} saved it at another desk on {time}. Your changes were NOT saved and nothing of theirs was overwritten. Compare the versions below, then choose.</source>
        <translation>您编辑“{what}”期间，{who} 于 {time} 在另一窗口保存了它。您的修改尚未保存，对方的内容也没有被覆盖。请对照下面的各个版本，再选择如何处理。</translation>
    </message>
    <message>
        <source>Merge both into the form to check</source>
        <translation>合并双方内容到表单，核对后保存</translation>
    </message>
    <message>
        <source>Put their version and your changes together in the form. Where you both changed the same passage, both texts stay, marked with whose each is, for you to combine. Nothing is saved until you save.</source>
        <translation>把对方保存的版本和您的修改合在一起放进表单；双方改了同一处的，两段文字都保留，并标明各是谁的，由您合并。您按“保存”之前不会保存任何内容。</translation>
    </message>
    <message>
        <source>a colleague</source>
        <translation>一位同事</translation>
    </message>
    <message>
        <source>an unknown time</source>
        <translation>不详时间</translation>
    </message>
    <message>
        <source>Saved by {who} ({time})</source>
        <translation>{who}保存的（{time}）</translation>
    </message>
    <message>
        <source>When you opened it</source>
        <translation>您打开时的内容</translation>
    </message>
    <message>
        <source>“Merge both” keeps their words and yours: where you both changed the same passage, both stay in the form between 【】 markers for you to combine before saving.</source>
        <translation>“合并双方内容”会同时保留对方和您的文字：双方改了同一处的，两段都放进表单并用【】标记隔开，请合并后再保存。</translation>
    </message>
</context>
<context>
    <name>DashboardPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk/dashboard.py" line="+154" />
        <source>Month</source>
        <extracomment>A figure was clicked: the case list should open with this filter under this title.</extracomment>
        <translation>按月</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Quarter</source>
        <translation>按季度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Year</source>
        <translation>按年</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Custom dates</source>
        <translation>自定义日期</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Monthly report…</source>
        <translation>月度统计表…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save the month's statistical report as PDF or XLSX</source>
        <translation>将本月人民调解工作统计表保存为 PDF 或 XLSX</translation>
    </message>
    <message>
        <location line="+2" />
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location line="+1" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Period:</source>
        <translation>统计期(&amp;P)：</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Cases received</source>
        <translation>收案数</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Cases ended</source>
        <translation>办结数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation success rate</source>
        <translation>调解成功率</translation>
    </message>
    <message>
        <location line="+0" />
        <source>On-time rate</source>
        <translation>按期调结率</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Satisfaction rate</source>
        <translation>回访满意率</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Amount involved (yuan)</source>
        <translation>涉及金额（元）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Group disputes</source>
        <translation>办理群体性纠纷</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Escalations prevented</source>
        <translation>防止民转刑</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Overdue now</source>
        <translation>当前超期案件</translation>
    </message>
    <message>
        <location line="+65" />
        <source>{year}-{month:02d}</source>
        <translation>{year}年{month}月</translation>
    </message>
    <message>
        <location line="+9" />
        <source>{year} Q{quarter}</source>
        <translation>{year}年第{quarter}季度</translation>
    </message>
    <message>
        <location line="+4" />
        <source>{year}</source>
        <translation>{year}年</translation>
    </message>
    <message>
        <location line="+7" />
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <location line="+16" />
        <source>The end date must not be before the start date.</source>
        <translation>结束日期不能早于开始日期。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+26" />
        <source>Figures of {period}</source>
        <translation>{period}统计数据</translation>
    </message>
    <message>
        <location line="+19" />
        <source>{n} cases with an amount</source>
        <translation>{n} 件填写了金额</translation>
    </message>
    <message>
        <location line="+4" />
        <source>as of {day}</source>
        <translation>截至 {day}</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+11" />
        <source>Formula: {formula}</source>
        <translation>计算口径：{formula}</translation>
    </message>
    <message>
        <location line="+12" />
        <source>{figure} (all counted), {period}</source>
        <translation>{figure}：计入分母的案件（{period}）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{figure} (counted as achieved), {period}</source>
        <translation>{figure}：计入分子的案件（{period}）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>{figure}, {period}</source>
        <translation>{figure}（{period}）</translation>
    </message>
    <message>
        <location line="+79" />
        <source>Cases received by dispute type</source>
        <translation>按纠纷类型统计收案数</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Cases received by source</source>
        <translation>按案件来源统计收案数</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Cases received by team</source>
        <translation>按调解团队统计收案数</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Results of the cases ended</source>
        <translation>办结案件的办理结果</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Results of the cases ended: none in this period</source>
        <translation>办结案件的办理结果：本期无办结案件</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Cases received by month</source>
        <translation>按月统计收案数</translation>
    </message>
    <message>
        <location line="+41" />
        <source>{chart}: {bucket}, {period}</source>
        <translation>{chart}：{bucket}（{period}）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Save the monthly report</source>
        <translation>保存月度统计表</translation>
    </message>
    <message>
        <location line="+1" />
        <source>PDF (*.pdf);;Excel workbook (*.xlsx)</source>
        <translation>PDF 文件 (*.pdf);;Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+15" />
        <source>The report file must end in .pdf or .xlsx.</source>
        <translation>统计表文件的扩展名应为 .pdf 或 .xlsx。</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Writing the report…</source>
        <translation>正在生成统计表…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Report saved: {path}</source>
        <translation>统计表已保存：{path}</translation>
    </message>
    <message>
        <source>First day of the period</source>
        <translation>统计起始日期</translation>
    </message>
    <message>
        <source>Last day of the period</source>
        <translation>统计截止日期</translation>
    </message>
    <message>
        <source>My center and those below</source>
        <translation>本中心及下级中心</translation>
    </message>
    <message>
        <source>12345 orders: the three rates are read by the center's head.</source>
        <translation>12345 工单：三率由中心主任查看。</translation>
    </message>
    <message>
        <source>12345 orders: {rates}</source>
        <translation>12345 工单：{rates}</translation>
    </message>
    <message>
        <source>12345 orders: {problem}</source>
        <translation>12345 工单：{problem}</translation>
    </message>
    <message>
        <source>Counter ratings: none in this period.</source>
        <translation>窗口好差评：本期没有评价。</translation>
    </message>
    <message>
        <source>Counter ratings: {rated} rated, {share} satisfied or better, {bad} unsatisfied</source>
        <translation>窗口好差评：评价 {rated} 件，满意及以上 {share}，差评 {bad} 件</translation>
    </message>
    <message>
        <source>Counter ratings: {problem}</source>
        <translation>窗口好差评：{problem}</translation>
    </message>
</context>
<context>
    <name>DepartmentForm</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_forms.py" line="+372" />
        <source>e.g. Monday, Wednesday and Friday mornings</source>
        <translation>如：每周一、三、五上午</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Mobile, or landline with area code</source>
        <translation>手机号，或带区号的固定电话</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Presence</source>
        <translation>进驻方式</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+19" />
        <source>Rota</source>
        <translation>轮驻安排</translation>
    </message>
    <message>
        <location line="-18" />
        <location line="+20" />
        <source>Contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="-19" />
        <location line="+20" />
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="-19" />
        <source>Stationed mediators</source>
        <translation>常驻调解员</translation>
    </message>
    <message>
        <location line="+10" />
        <source>At the center every working day.</source>
        <translation>每个工作日在中心办公。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Takes turns at the center: say when in the rota.</source>
        <translation>轮流到中心值守：请在轮驻安排中写明时间。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Comes when called: a contact person and a phone number are required.</source>
        <translation>需要时通知到场：须填写联系人和联系电话。</translation>
    </message>
    <message>
        <location line="+17" />
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+10" />
        <source>New department</source>
        <translation>新建进驻部门</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{name} (deactivated)</source>
        <translation>{name}（已停用）</translation>
    </message>
</context>
<context>
    <name>DepartmentsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_models.py" line="+168" />
        <source>Department</source>
        <extracomment>The translation context of HEADERS (the subclass's name, as lupdate records it). The whole row object (a DepartmentInfo, TeamInfo or MediatorInfo). A value to sort by (numbers as numbers).</extracomment>
        <translation>部门名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Presence</source>
        <translation>进驻方式</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Rota</source>
        <translation>轮驻安排</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediators</source>
        <translation>调解员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>DeskPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk/desk.py" line="+68" />
        <source>Refresh</source>
        <extracomment>Open this case (double-click or Enter on any list): its id. The lists were read again (after a change, a refresh or showing the desk).</extracomment>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Due soon and overdue</source>
        <translation>到期提醒</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Show answered orders too</source>
        <translation>同时显示已答复的督办</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Select an order, then write what the team has done about it</source>
        <translation>选择一条督办，填写团队的办理情况</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Supervision orders</source>
        <translation>督办事项</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Select a diversion, then type what the body reported</source>
        <translation>选择一条分流记录，填写接收单位的反馈</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Record feedback</source>
        <translation>登记反馈</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Diversions awaiting feedback</source>
        <translation>分流待反馈</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Supervision orders: {count} open</source>
        <translation>督办事项：未办结 {count} 件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{count} open supervision orders</source>
        <translation>督办未办结 {count} 件</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Diversions awaiting feedback: {count}</source>
        <translation>分流待反馈：{count} 件</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{count} diversions awaiting feedback</source>
        <translation>分流待反馈 {count} 件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>As of {today}: {parts}</source>
        <translation>截至 {today}：{parts}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+69" />
        <source>Answer to the order on {number} saved.</source>
        <translation>已保存对 {number} 督办的答复。</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Feedback on {number} recorded: the case can now go to closure review.</source>
        <translation>已登记 {number} 的分流反馈，该案可以提交结案审核。</translation>
    </message>
    <message>
        <source>Audit chain: no entries yet</source>
        <translation>审计链：尚无记录</translation>
    </message>
    <message>
        <source>(written without the key)</source>
        <translation>（未加密钥）</translation>
    </message>
    <message>
        <source>Audit chain: sequence {seq}, first 16 characters of the MAC {mac}</source>
        <translation>审计链：序号 {seq}，MAC 前 16 位 {mac}</translation>
    </message>
    <message>
        <source>Due soon and overdue: {overdue} overdue cases, {yellow} due soon</source>
        <translation>到期提醒：超期案件 {overdue} 件，临期 {yellow} 件</translation>
    </message>
    <message>
        <source>{overdue} overdue cases, {yellow} due soon</source>
        <translation>超期案件 {overdue} 件，临期 {yellow} 件</translation>
    </message>
    <message>
        <source>Overdue cases: your teams' cases still being handled (not closed, not refused) whose current stage was past its deadline on {day}; the definition of Overdue cases in Statistics, which counts the whole center. Return visits of closed cases are not overdue cases: see Return visits due.</source>
        <translation>超期案件：截至 {day} 本团队仍在办理中（未结案、未不予受理）且当前环节期限已过的案件，口径与“统计”中的“超期案件”相同（统计按全中心计数）；已结案案件回访逾期不算超期案件，见“待回访”。</translation>
    </message>
    <message>
        <source>Overdue cases: cases still being handled (not closed, not refused) whose current stage was past its deadline on {day}; the same definition and figure as Overdue cases in Statistics. Return visits of closed cases are not overdue cases: see Return visits due.</source>
        <translation>超期案件：截至 {day} 仍在办理中（未结案、未不予受理）且当前环节期限已过的案件，与“统计”中的“超期案件”同一口径、同一数字；已结案案件回访逾期不算超期案件，见“待回访”。</translation>
    </message>
    <message>
        <source>Overdue cases: this center's cases still being handled (not closed, not refused) whose current stage was past its deadline on {day}; the same definition and figure as Overdue cases in Statistics with this center alone chosen (Statistics counts the centers below too unless one is chosen). Return visits of closed cases are not overdue cases: see Return visits due.</source>
        <translation>超期案件：截至 {day} 本中心仍在办理中（未结案、未不予受理）且当前环节期限已过的案件，与“统计”中只选本中心时的“超期案件”同一口径、同一数字（统计默认连同下级中心计数）；已结案案件回访逾期不算超期案件，见“待回访”。</translation>
    </message>
</context>
<context>
    <name>DiversionBody</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="+3" />
        <source>Village (community) people's mediation committee</source>
        <translation>村（社区）人民调解委员会</translation>
    </message>
    <message>
        <location line="+1" />
        <source>People's court pre-litigation mediation</source>
        <translation>人民法院诉前调解</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Petition office</source>
        <translation>信访部门</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Government department</source>
        <translation>职能部门</translation>
    </message>
</context>
<context>
    <name>DiversionItem</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/oversight.py" line="+297" />
        <source>{when}: to {kind} “{name}” — {reason}</source>
        <translation>{when}：分流至{kind}“{name}”——{reason}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Awaiting feedback for {days} days</source>
        <translation>已等待反馈 {days} 天</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Feedback {when}: {feedback}</source>
        <translation>{when} 反馈：{feedback}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>What the body reported (handled, mediated, returned …)</source>
        <translation>接收单位反馈的情况（已处理、已调解、退回……）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Record feedback</source>
        <translation>登记反馈</translation>
    </message>
</context>
<context>
    <name>DiversionsBox</name>
    <message>
        <location line="+23" />
        <source>Diversion</source>
        <extracomment>Feedback was recorded (the case id).</extracomment>
        <translation>分流</translation>
    </message>
</context>
<context>
    <name>DivertPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/routing.py" line="+72" />
        <source>Why this body should handle the dispute</source>
        <translation>分流理由：为何由该单位处理</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Divert</source>
        <translation>分流</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Diverted to</source>
        <translation>分流去向</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Name of the body</source>
        <translation>接收单位名称</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location line="+45" />
        <source>e.g. {village} people's mediation committee</source>
        <translation>如：{village}人民调解委员会</translation>
    </message>
    <message>
        <location line="+1" />
        <source>the village's</source>
        <translation>某村</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. the district people's court</source>
        <translation>如：甘州区人民法院</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. the district petition bureau</source>
        <translation>如：区信访局</translation>
    </message>
    <message>
        <location line="+1" />
        <source>e.g. the district human resources and social security bureau</source>
        <translation>如：区人力资源和社会保障局</translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/models.py" line="+222" />
        <source>From: {origin}</source>
        <extracomment>Words in a file name that say what a document is (a phone photo called "身份证正面.jpg"). Identifies the document while the form is open (stable across edits). The party it belongs to (a ``PartyForm`` of the form), or None. An imported PDF, attached as it is (``document.pages`` is then empty). Where it came from: the scanner, or the file's name. The whole :class:`FormDocument`.</extracomment>
        <translation>来源：{origin}</translation>
    </message>
    <message numerus="yes">
        <location line="+11" />
        <source>PDF, %Ln page(s)</source>
        <translation>
            <numerusform>PDF，%Ln 页</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>%Ln page(s)</source>
        <translation>
            <numerusform>%Ln 页</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentPreview</name>
    <message>
        <location filename="../../mediation_desk/ui/common/pdf_preview.py" line="+89" />
        <source>Document preview</source>
        <extracomment>Pages are rendered for the printer at its resolution, but never finer than this. The PDF is shown: its page count. Making the PDF failed: the message shown. Pages were sent to a printer: how many.</extracomment>
        <translation>文书预览</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Previous page (Page Up)</source>
        <translation>上一页（Page Up）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Next page (Page Down)</source>
        <translation>下一页（Page Down）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Zoom out (Ctrl+-)</source>
        <translation>缩小（Ctrl+-）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Zoom in (Ctrl++)</source>
        <translation>放大（Ctrl++）</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+188" />
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <location line="-187" />
        <source>Fit the page to the window width (Ctrl+0)</source>
        <translation>按窗口宽度显示（Ctrl+0）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Print through the system print dialog (Ctrl+P)</source>
        <translation>通过系统打印对话框打印（Ctrl+P）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save the PDF file (Ctrl+S)</source>
        <translation>保存 PDF 文件（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+82" />
        <source>Preparing the document…</source>
        <translation>正在生成文书…</translation>
    </message>
    <message>
        <location line="+24" />
        <source>The document could not be shown ({error}).</source>
        <translation>文书无法显示（{error}）。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>of {n}</source>
        <translation>/ 共 {n} 页</translation>
    </message>
    <message>
        <location line="+109" />
        <source>Print {title}</source>
        <translation>打印 {title}</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Save the document as</source>
        <translation>文书另存为</translation>
    </message>
    <message>
        <location line="+1" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>The file could not be written: {error}</source>
        <translation>文件无法写入：{error}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Saved to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <location line="+20" />
        <source>The copy was made but not entered in the audit log: {message}</source>
        <translation>文书已输出，但未能记入审计日志：{message}</translation>
    </message>
</context>
<context>
    <name>DocumentsBox</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/documents.py" line="+168" />
        <location line="+27" />
        <source>Documents</source>
        <extracomment>F2, as item views edit an item: Ctrl+E would be "end of line" in text fields on X11. How many refusals are listed one by one (the rest are counted). The stored note says where the paper came from; attachments keep at most 200 characters. The watched folder could not be read this time. Documents were added, edited or removed (the form marks its draft dirty). How often the watched folder is looked at while the form is shown. Made for each watched folder (tests give it a fake clock).
----------
The dialogs while they are open (tests drive them).</extracomment>
        <translation>材料</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No documents yet. Scan the ID cards and papers the visitor brought ({scan}), or import files ({files}).</source>
        <translation>还没有材料。请扫描来访者带来的身份证件和材料（{scan}），或导入文件（{files}）。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Scan… ({keys})</source>
        <translation>扫描… ({keys})</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Import files… ({keys})</source>
        <translation>导入文件… ({keys})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Pages and type… ({keys})</source>
        <translation>页面与类型… ({keys})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Remove (Del)</source>
        <translation>移除 (Del)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Watched folder…</source>
        <translation>扫描文件夹…</translation>
    </message>
    <message>
        <location line="+96" />
        <source>“{document}” was removed. Ctrl+Z in the list brings it back.</source>
        <translation>已移除“{document}”。在材料列表中按 Ctrl+Z 可恢复。</translation>
    </message>
    <message>
        <location line="+47" />
        <source>Party {number}: {name}</source>
        <translation>第 {number} 位当事人：{name}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Party {number}</source>
        <translation>第 {number} 位当事人</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The case as a whole</source>
        <translation>整个案件</translation>
    </message>
    <message numerus="yes">
        <location line="+50" />
        <source>Scanned %Ln page(s). Enter opens the page editor to check them.</source>
        <translation>
            <numerusform>已扫描 %Ln 页。按 Enter 打开页面编辑，核对页面。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13" />
        <source>Import files</source>
        <translation>导入文件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Scans, photos and PDF files (*.jpg *.jpeg *.png *.tif *.tiff *.pdf);;All files (*)</source>
        <translation>扫描件、照片和 PDF 文件 (*.jpg *.jpeg *.png *.tif *.tiff *.pdf);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
        <location line="+16" />
        <source>Importing %Ln file(s)…</source>
        <translation>
            <numerusform>正在导入 %Ln 个文件…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+45" />
        <source>Imported %Ln file(s).</source>
        <translation>
            <numerusform>已导入 %Ln 个文件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>%Ln file(s) refused (see below).</source>
        <translation>
            <numerusform>%Ln 个文件未能导入（见下方）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11" />
        <source>… and %Ln more.</source>
        <translation>
            <numerusform>……另有 %Ln 个。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+52" />
        <source>Folder the copier scans into</source>
        <translation>复印机扫描存入的文件夹</translation>
    </message>
    <message>
        <location line="+25" />
        <source>No watched folder.</source>
        <translation>未设置扫描文件夹。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Watching {folder}</source>
        <translation>正在监视 {folder}</translation>
    </message>
    <message>
        <location line="+51" />
        <source>The watched folder {folder} cannot be reached; looking again every 2 seconds.</source>
        <translation>无法访问扫描文件夹 {folder}，每 2 秒重试一次。</translation>
    </message>
    <message numerus="yes">
        <location line="+38" />
        <source>Making the PDF files of %Ln document(s)…</source>
        <translation>
            <numerusform>正在生成 %Ln 份材料的 PDF 文件…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41" />
        <source>Some scanned pages of the draft could not be read back and are missing (documents: {documents}, pages: {pages}). Scan them again.</source>
        <translation>草稿中的部分扫描页面无法读回，已缺失（材料 {documents} 份，页面 {pages} 页），请重新扫描。</translation>
    </message>
</context>
<context>
    <name>DocumentsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/documents.py" line="+43" />
        <source>Registration form</source>
        <extracomment>The on-screen names of the document kinds (the paper titles are the services').</extracomment>
        <translation>受理登记表</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Application for mediation</source>
        <translation>人民调解申请书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Notice of rights and duties</source>
        <translation>当事人权利义务告知书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Investigation record</source>
        <translation>调查记录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation record</source>
        <translation>调解记录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation agreement</source>
        <translation>人民调解协议书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Oral agreement registration</source>
        <translation>人民调解口头协议登记表</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Application for judicial confirmation</source>
        <translation>司法确认申请书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Return visit record</source>
        <translation>回访记录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Receipt</source>
        <translation>受理回执</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Case file (dossier)</source>
        <translation>卷宗</translation>
    </message>
    <message>
        <location line="+42" />
        <source>Document</source>
        <extracomment>The title printed on the paper (Chinese, as ``documents.kinds.TITLES`` has it). Why it does not apply yet; "" when it does.</extracomment>
        <translation>文书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title on paper</source>
        <translation>文书标题</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Made when opened (takes a moment)</source>
        <translation>打开时生成（需要片刻）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Ready to preview and print</source>
        <translation>可以预览和打印</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not yet: {reason}</source>
        <translation>暂不可用：{reason}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{status}; signed copy filed</source>
        <translation>{status}；已收回签字件</translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message>
        <location line="+45" />
        <source>Preview / print…</source>
        <extracomment>Never emitted by this tab's own work (it only reads); part of the case-tab contract. The list was checked: the number of documents that apply.</extracomment>
        <translation>预览/打印…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Preview the chosen document (Enter)</source>
        <translation>预览所选文书（Enter）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <location line="+40" />
        <source>Checking which documents apply…</source>
        <translation>正在检查可以生成的文书…</translation>
    </message>
    <message>
        <location line="+12" />
        <source>{ready} of {total} documents can be printed now.</source>
        <translation>共 {total} 种文书，现可打印 {ready} 种。</translation>
    </message>
</context>
<context>
    <name>DueCasesModel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk/desk.py" line="-424" />
        <source>Status</source>
        <extracomment>Yellow text on white is hard to read: the "due soon" words are written in a darker amber.</extracomment>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title</source>
        <translation>纠纷名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State</source>
        <translation>案件状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stage</source>
        <translation>计时阶段</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Team</source>
        <translation>承办团队</translation>
    </message>
</context>
<context>
    <name>DueVisitsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk/visits_due.py" line="+49" />
        <source>Due</source>
        <translation>应回访日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title</source>
        <translation>案件名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Team</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Overdue by {days} days</source>
        <translation>已逾期{days}天</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>In {days} days</source>
        <translation>{days}天后到期</translation>
    </message>
</context>
<context>
    <name>EventKind</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="+52" />
        <source>Registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State change</source>
        <translation>状态变更</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Record</source>
        <translation>笔录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Return visit</source>
        <translation>回访</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/first_run.py" line="+91" />
        <source>{app} — first start</source>
        <translation>{app} — 首次启动</translation>
    </message>
</context>
<context>
    <name>Gender</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="-35" />
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Female</source>
        <translation>女</translation>
    </message>
</context>
<context>
    <name>HolidaysModel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/calendar.py" line="-486" />
        <source>Monday</source>
        <extracomment>The years the year box offers around today (back to what the library knows, ahead a few).</extracomment>
        <translation>星期一</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Weekday</source>
        <translation>星期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Make-up working day</source>
        <translation>调休上班</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Day off</source>
        <translation>放假</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Entered by the center</source>
        <translation>本中心录入</translation>
    </message>
</context>
<context>
    <name>IdDocumentType</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="+3" />
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Travel permit for Hong Kong/Macao residents</source>
        <translation>港澳居民来往内地通行证</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Travel permit for Taiwan residents</source>
        <translation>台湾居民来往大陆通行证</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Other document</source>
        <translation>其他证件</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/idle_lock.py" line="+251" />
        <source>Enter your password.</source>
        <extracomment>The user chose "sign out" on the lock screen (the integrator closes the main window).</extracomment>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>IntakeChecks</name>
    <message>
        <location filename="../../mediation_desk/ui/intake/fields.py" line="+234" />
        <source>Write the date like 1980-01-02.</source>
        <extracomment>A check in the services' style: returns the cleaned value or raises ``InvalidInput``. The clerk left the field (not for a menu or another window): time to check it. A composition started (True) or ended (False). A check passed on a non-empty value: the cleaned value the check returned. The clerk typed in the field since it was last reset. Passing an empty field that was never touched (Tab on the way to another) is no reason to complain; saving is.</extracomment>
        <translation>日期请写成 1980-01-02 的形式。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>There is no such date.</source>
        <translation>没有这一天，请核对日期。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The date of birth cannot be later than today.</source>
        <translation>出生日期不能晚于今天。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The year of birth is not plausible.</source>
        <translation>出生年份不合理，请核对。</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Write the amount in yuan as a number, such as 12000 or 3500.50.</source>
        <translation>涉及金额请填写数字（元），如 12000 或 3500.50。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>The amount cannot be negative.</source>
        <translation>涉及金额不能为负数。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The amount can have at most two decimals (fen).</source>
        <translation>涉及金额最多保留两位小数（到分）。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The amount is too large.</source>
        <translation>涉及金额过大，请核对。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Write the number of people as a whole number, such as 3.</source>
        <translation>涉及人数请填写整数，如 3。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The number of people is too large.</source>
        <translation>涉及人数过大，请核对。</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <location filename="../../mediation_desk/ui/intake/form.py" line="+208" />
        <source>Restore the draft</source>
        <extracomment>Version of the form's state inside a draft (``restore`` reads older ones). 2: documents. The number of the open case this one repeats (重复来访), or "". How many documents were attached with it. After "save and print": the new case's id (the main window renders the receipt). The clerk wants to see a case (the one just registered, or one in a party's history). A case was registered: a :class:`Registered`. How often a changed form is written to its draft. How long a removed party can be brought back.</extracomment>
        <translation>恢复草稿</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Discard it</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <location line="+24" />
        <source>&amp;Open the case</source>
        <translation>打开案件(&amp;O)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Dispute</source>
        <translation>纠纷基本情况</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Group dispute</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <location line="+1" />
        <source>May turn criminal</source>
        <translation>可能民转刑</translation>
    </message>
    <message>
        <location line="+3" />
        <source>e.g. wages owed by a construction company</source>
        <translation>如：某建筑公司拖欠农民工工资</translation>
    </message>
    <message>
        <source>{title} (Enter takes it)</source>
        <translation>{title}（回车采用）</translation>
    </message>
    <message>
        <source>Stock phrases: </source>
        <translation>常用语：</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Choose the dispute type.</source>
        <translation>请选择纠纷类型。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Risk flags</source>
        <translation>风险标记</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Title (a short name of the dispute)</source>
        <translation>纠纷名称（简要标题）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Enter a short title of the dispute.</source>
        <translation>请填写纠纷名称（简要标题）。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>People involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Amount involved (yuan)</source>
        <translation>涉及金额（元）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Place (address)</source>
        <translation>发生地点（地址）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Village or community</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Undo removal</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Add a party ({keys})</source>
        <translation>添加当事人 ({keys})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Adds another applicant, respondent or third party</source>
        <translation>再添加一名申请人、被申请人或第三人</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Facts and requests</source>
        <translation>纠纷简要情况与申请事项</translation>
    </message>
    <message>
        <location line="+7" />
        <source>One request per line</source>
        <translation>每行一项申请事项</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Brief account of the dispute</source>
        <translation>纠纷简要情况</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Requests of the applicant (one per line)</source>
        <translation>申请事项（每行一项）</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Save ({keys})</source>
        <translation>保存 ({keys})</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Save and print the receipt ({keys})</source>
        <translation>保存并打印受理回执 ({keys})</translation>
    </message>
    <message>
        <location line="+86" />
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <location line="+77" />
        <source>Party {number} ({name}) was removed.</source>
        <translation>已删除第 {number} 位当事人（{name}）。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Party {number} was removed.</source>
        <translation>已删除第 {number} 位当事人。</translation>
    </message>
    <message>
        <location line="+104" />
        <source>At least one party must be an applicant.</source>
        <translation>至少需要一名申请人。</translation>
    </message>
    <message>
        <location line="+65" />
        <source>A scan or an import is still running: wait for it to finish (or cancel it), then save.</source>
        <translation>扫描或导入尚未完成：请等它完成（或取消）后再保存。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Correct the fields marked in red ({count}); the first one has the cursor.</source>
        <translation>有 {count} 处需要修改（已标红），光标已放在第一处。</translation>
    </message>
    <message>
        <location line="+37" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Registered: {number}</source>
        <translation>已登记：{number}</translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>(with %Ln document(s))</source>
        <translation>
            <numerusform>（附材料 %Ln 份）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2" />
        <source>Repeat visit: linked to the open case {number}.</source>
        <translation>重复来访：已关联未结案件 {number}。</translation>
    </message>
    <message>
        <location line="+194" />
        <source>The draft could not be saved: {error}</source>
        <translation>草稿未能保存：{error}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Draft saved at {time}</source>
        <translation>草稿已于 {time} 自动保存</translation>
    </message>
    <message>
        <location line="+30" />
        <source>title: {title}</source>
        <translation>纠纷名称：{title}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>parties: {names}</source>
        <translation>当事人：{names}</translation>
    </message>
    <message numerus="yes">
        <location line="+3" />
        <source>%Ln scanned document(s)</source>
        <translation>
            <numerusform>扫描材料 %Ln 份</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1" />
        <source>An unsaved registration draft from {time} was found.</source>
        <translation>发现未保存的受理登记草稿（{time}）。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>({details})</source>
        <translation>（{details}）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Draft of {time} restored</source>
        <translation>已恢复 {time} 的草稿</translation>
    </message>
    <message>
        <location line="+10" />
        <source>The draft could not be removed: {error}</source>
        <translation>草稿未能删除：{error}</translation>
    </message>
    <message>
        <source>The registration being typed ({title})</source>
        <translation>正在填写的登记（{title}）</translation>
    </message>
    <message>
        <source>The registration being typed</source>
        <translation>正在填写的登记</translation>
    </message>
    <message>
        <source>Enter or Tab: next field · {section}: next part · {party}: add a party</source>
        <translation>回车或 Tab：下一栏 · {section}：下一部分 · {party}：添加当事人</translation>
    </message>
    <message>
        <source>Discard the draft</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <source>The draft saved at {time} will be deleted; what it holds cannot be recovered.</source>
        <translation>{time}保存的草稿将被删除，其中内容不能恢复。</translation>
    </message>
    <message>
        <source>Record a rating…</source>
        <translation>录入评价…</translation>
    </message>
</context>
<context>
    <name>LeaveGuard</name>
    <message>
        <source>Unsaved input</source>
        <translation>未保存的内容</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>This input has not been saved:
{items}

It is lost if you go on without saving it.</source>
        <translation>以下内容尚未保存：
{items}

不保存就继续，这些内容将会丢失。</translation>
    </message>
</context>
<context>
    <name>LimitsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/calendar.py" line="+23" />
        <source>{days} working days</source>
        <extracomment>The limit in force for the chosen scope. The limit for all dispute types (what a type without an override uses). True when the chosen scope is one dispute type.</extracomment>
        <translation>{days} 个工作日</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{days} calendar days</source>
        <translation>{days} 个自然日</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Time limit</source>
        <translation>期限</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Turns yellow</source>
        <translation>黄色预警</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Set by</source>
        <translation>设定来源</translation>
    </message>
    <message>
        <location line="+10" />
        <source>{days} days before it is due</source>
        <translation>到期前 {days} 天</translation>
    </message>
    <message>
        <location line="+4" />
        <source>This dispute type</source>
        <translation>本类型单独设定</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Same as all types</source>
        <translation>同全部类型</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The center</source>
        <translation>本中心设定</translation>
    </message>
    <message>
        <source>Built-in default: edit it to set the center's own</source>
        <translation>系统默认期限：修改后即为本中心的设置</translation>
    </message>
    <message>
        <source>Counted in</source>
        <translation>计算方式</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>期限天数</translation>
    </message>
    <message>
        <source>Days: {days} is outside 1 to 366.</source>
        <translation>期限天数：{days} 不在 1 到 366 之间。</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>进驻部门</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Yellow when days left</source>
        <translation>黄牌预警天数</translation>
    </message>
    <message>
        <source>Yellow when days left: {yellow} must be at least 0 and less than the {days} days of the limit.</source>
        <translation>黄牌预警天数：{yellow} 应不少于 0 且小于期限的 {days} 天。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>calendar days</source>
        <translation>自然日</translation>
    </message>
    <message>
        <source>working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>{field}: “{text}” is not a whole number of days.</source>
        <translation>{field}：“{text}”不是整数天数。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/login.py" line="+75" />
        <source>{app} — Sign in</source>
        <extracomment>(user name, role) of the demo accounts, and their shared password. The ``Actor`` of a successful login.</extracomment>
        <translation>{app} — 登录</translation>
    </message>
    <message>
        <location line="+27" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+20" />
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location line="+16" />
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{user} ({role})</source>
        <translation>{user}（{role}）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>This is a demo center with invented cases. Accounts: {accounts}; the password of each is {password}.</source>
        <translation>这是演示中心，案件均为虚构。演示账户：{accounts}；密码均为 {password}。</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location line="+30" />
        <source>You must choose a password of your own before you can sign in.</source>
        <translation>须先设置您自己的密码才能登录。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Print receipts straight to the default &amp;printer</source>
        <translation>受理回执直接用默认打印机打印(&amp;P)</translation>
    </message>
    <message>
        <source>{center} · database: {database}</source>
        <translation>{center} · 数据库：{database}</translation>
    </message>
    <message>
        <source>&amp;Trusted local filesystems…</source>
        <translation>可信的本地文件系统(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/shell/main_window.py" line="+92" />
        <source>{app} — {center} — {user} ({role})</source>
        <extracomment>What fits a 1366×768 screen with a taskbar. The user chose another interface language (applies at the next start).</extracomment>
        <translation>{app} — {center} — {user}（{role}）</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Cases</source>
        <extracomment>The registration form, for the roles that register cases at the window.</extracomment>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Your account is not linked to a mediator record yet. Ask the administrator to link it.</source>
        <translation>您的账号尚未关联调解员档案，请联系系统管理员关联。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>My cases</source>
        <translation>我承办的案件</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Closure review</source>
        <translation>待审核结案</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Publicity</source>
        <translation>公示</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Signed papers</source>
        <translation>签字文书回收</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Organisation</source>
        <translation>组织机构</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Holidays and time limits</source>
        <translation>节假日与期限</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Desk</source>
        <translation>工作台</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Registration</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <location line="+25" />
        <source>The database was restored from the backup. The program closes now; start it again and sign in.</source>
        <translation>数据库已从备份恢复。程序现在关闭，请重新启动并登录。</translation>
    </message>
    <message>
        <location line="+29" />
        <source>Receipt saved as {path}</source>
        <translation>受理回执已保存为 {path}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Import a transfer &amp;packet…</source>
        <translation>导入移送材料包(&amp;P)…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Interface &amp;language</source>
        <translation>界面语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Database connection…</source>
        <translation>数据库连接(&amp;D)…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The interface language will change to {language} the next time Mediation Desk starts.</source>
        <translation>界面语言将在下次启动矛调工作台时切换为{language}。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>About {app}</source>
        <translation>关于{app}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>{app} {version}

Case management for county conflict-mediation centers: registration, assignment, mediation, closure and review.

Database: {database}</source>
        <translation>{app} {version}

县级矛盾纠纷调处中心案件管理：登记、分派、调解、结案与审核。

数据库：{database}</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Sign &amp;out / switch user…</source>
        <translation>注销/切换用户(&amp;O)…</translation>
    </message>
    <message>
        <source>Cards and limits</source>
        <translation>督办与考核</translation>
    </message>
    <message>
        <source>Subsidies</source>
        <translation>以案定补</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>统计概览</translation>
    </message>
    <message>
        <source>Table by level</source>
        <translation>分级情况表</translation>
    </message>
    <message>
        <source>Risk briefing</source>
        <translation>风险研判</translation>
    </message>
    <message>
        <source>Import a &amp;crossing packet…</source>
        <translation>导入流转包(&amp;C)…</translation>
    </message>
</context>
<context>
    <name>MediatorForm</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_forms.py" line="+147" />
        <source>e.g. land contracts; retired cadre</source>
        <translation>如：土地承包；退休干部</translation>
    </message>
    <message>
        <location line="+5" />
        <source>One per line, e.g. 张三 (cousin)</source>
        <translation>每行一项，如：张三（表兄）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+18" />
        <source>Department</source>
        <translation>所属部门</translation>
    </message>
    <message>
        <location line="-17" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Specialties</source>
        <translation>专长</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Declared relations</source>
        <translation>申报的社会关系</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Relatives and close acquaintances; checked against the parties of each case for recusal.</source>
        <translation>亲属及关系密切的人；分派案件时据此与当事人比对，提示回避。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Teams</source>
        <translation>所在团队</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open cases led</source>
        <translation>承办中案件</translation>
    </message>
    <message>
        <location line="+22" />
        <location line="+30" />
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="-25" />
        <location line="+41" />
        <source>{name} (deactivated)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <location line="-18" />
        <source>{team} (lead)</source>
        <translation>{team}（负责人）</translation>
    </message>
    <message>
        <location line="+16" />
        <source>New mediator</source>
        <translation>新建调解员</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>所属中心</translation>
    </message>
</context>
<context>
    <name>MediatorKind</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_models.py" line="-134" />
        <source>Stationed staff</source>
        <translation>常驻人员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Volunteer mediator</source>
        <translation>义务调解员</translation>
    </message>
</context>
<context>
    <name>MediatorsModel</name>
    <message>
        <location line="+201" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Department</source>
        <translation>所属部门</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Teams</source>
        <translation>所在团队</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Specialties</source>
        <translation>专长</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>ModePage</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/first_run.py" line="-279" />
        <source>Welcome to {app}</source>
        <translation>欢迎使用{app}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>This desk has no database yet. Where should it keep the center's cases?</source>
        <translation>本机还没有数据库。中心的案件保存在哪里？</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;One desk: a database file on this computer</source>
        <translation>单机(&amp;O)：数据保存在本机的数据库文件中</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The center's &amp;server (PostgreSQL), shared by several desks</source>
        <translation>中心服务器(&amp;S)（PostgreSQL）：多台电脑共用</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Demo data: an invented center with its cases, to try the program</source>
        <translation>演示数据(&amp;D)：虚构的中心和案件，用于试用</translation>
    </message>
    <message>
        <location line="+5" />
        <source>For a center with one registration desk. The file is kept in this user's data folder and backed up every day.</source>
        <translation>适合只有一个受理窗口的中心。数据文件保存在本用户的数据文件夹中，每天自动备份。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>For a center where several computers work on the same cases. Ask the IT support for the server's address and the account.</source>
        <translation>适合多台电脑办理同一批案件的中心。服务器地址和账户请向信息技术人员索取。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Nothing real is stored. Start again with a new database to use the program for real.</source>
        <translation>不保存真实数据。正式使用时请新建数据库重新开始。</translation>
    </message>
</context>
<context>
    <name>OrderItem</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/oversight.py" line="-259" />
        <source>{when}, {who}: {instruction}</source>
        <extracomment>A supervision order is usually to be answered within a week.</extracomment>
        <translation>{when}，{who}督办：{instruction}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Answered {when}: {response}</source>
        <translation>{when} 答复：{response}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Overdue: to be finished by {due}, not answered yet</source>
        <translation>已逾期：应于 {due} 前办结，尚未答复</translation>
    </message>
    <message>
        <location line="+3" />
        <source>To be finished by {due}; awaiting the team's answer</source>
        <translation>限 {due} 前办结；待团队答复</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Awaiting the team's answer</source>
        <translation>待团队答复</translation>
    </message>
    <message>
        <location line="+5" />
        <source>What the team has done about it</source>
        <translation>团队的办理情况</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Answer</source>
        <translation>答复</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk/desk.py" line="+33" />
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Title</source>
        <translation>纠纷名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Instruction</source>
        <translation>督办意见</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Finish by</source>
        <translation>办结期限</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Issued</source>
        <translation>督办时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Overdue, not answered</source>
        <translation>已逾期，未答复</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not answered yet</source>
        <translation>尚未答复</translation>
    </message>
</context>
<context>
    <name>OrgForm</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_forms.py" line="-545" />
        <source>Save</source>
        <extracomment>A row was created or changed (its id), so the table can select it after the reload. The lists should be read again (after a conflict: someone else saved first). The newest version of the current row the lists brought (what "discard" goes back to).</extracomment>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Show the saved values again (the latest, if someone else changed them).</source>
        <translation>恢复为已保存的内容（如他人刚修改过，则为最新内容）。</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+152" />
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="-2" />
        <source>Save or discard your changes first.</source>
        <translation>请先保存或放弃修改。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Saved “{name}”.</source>
        <translation>已保存“{name}”。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>“{name}” is active again.</source>
        <translation>“{name}”已重新启用。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>“{name}” is deactivated; everything recorded under it is kept.</source>
        <translation>“{name}”已停用；与其相关的记录全部保留。</translation>
    </message>
</context>
<context>
    <name>OrgTab</name>
    <message numerus="yes">
        <location filename="../../mediation_desk/ui/admin/organisation.py" line="+140" />
        <source>%Ln shown</source>
        <extracomment>A warning above the table (dispute types no team handles, on the teams tab).</extracomment>
        <translation>
            <numerusform>共 %Ln 项</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source> (%Ln deactivated hidden)</source>
        <translation>
            <numerusform>（另有 %Ln 项已停用，未显示）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OrgTableModel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_models.py" line="-194" />
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>OrganisationPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/organisation.py" line="+36" />
        <source>Only the administrator and the center head can change departments, teams and mediators; you can look them up here.</source>
        <translation>只有系统管理员和中心主任可以修改进驻部门、调解团队和调解员；您可以在这里查看。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Show deactivated</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <location line="+4" />
        <source>New department</source>
        <translation>新建部门</translation>
    </message>
    <message>
        <location line="+6" />
        <source>New team</source>
        <translation>新建团队</translation>
    </message>
    <message>
        <location line="+5" />
        <source>New mediator</source>
        <translation>新建调解员</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Stationed departments</source>
        <translation>进驻部门</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediation teams</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediators</source>
        <translation>调解员</translation>
    </message>
    <message>
        <location line="+42" />
        <source>No active team handles: {types}. Cases of these types cannot be assigned.</source>
        <translation>以下纠纷类型没有在岗团队承办：{types}。这些类型的案件分派时将无团队可选。</translation>
    </message>
    <message>
        <source>New center</source>
        <translation>新建中心</translation>
    </message>
    <message>
        <source>Centers</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Choose an enrolment file</source>
        <translation>选择入驻文件</translation>
    </message>
    <message>
        <source>Enrolment file</source>
        <translation>入驻文件</translation>
    </message>
    <message>
        <source>Enrolment file (*.zip)</source>
        <translation>入驻文件 (*.zip)</translation>
    </message>
    <message>
        <source>Import enrolment file…</source>
        <translation>导入入驻文件…</translation>
    </message>
    <message>
        <source>Our center on its papers…</source>
        <translation>本中心文书信息…</translation>
    </message>
    <message>
        <source>The address, phone and mediation committee the papers of this center's cases print</source>
        <translation>本中心案件的文书上印的地址、电话和人民调解委员会名称</translation>
    </message>
    <message>
        <source>Set up this desk's centers from the enrolment file the county's administrator wrote (an offline township)</source>
        <translation>按县级系统管理员生成的入驻文件设置本工作台的中心（离线的乡镇）</translation>
    </message>
</context>
<context>
    <name>PacketImportDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/intake/packet_import.py" line="+45" />
        <source>Import transfer packet</source>
        <extracomment>The case the packet created (or had created before): the main window opens it.</extracomment>
        <translation>导入移送材料包</translation>
    </message>
    <message>
        <location line="+9" />
        <source>A transfer packet is a ZIP file built by another center's Mediation Desk. Every file is checked against its SHA-256 before anything is saved.</source>
        <translation>移送材料包是其他中心的矛调工作台生成的 ZIP 文件。保存任何内容之前，每个文件都会按 SHA-256 校验值逐一核对。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Open the case</source>
        <translation>打开案件</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Choose a transfer packet</source>
        <translation>选择移送材料包</translation>
    </message>
    <message>
        <location line="+1" />
        <source>ZIP packet (*.zip)</source>
        <translation>ZIP 材料包 (*.zip)</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Choose the packet file first.</source>
        <translation>请先选择材料包文件。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Checking the packet…</source>
        <translation>正在核对材料包…</translation>
    </message>
</context>
<context>
    <name>PageEditor</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/pages.py" line="+136" />
        <source>Pages of the document</source>
        <extracomment>After every edit: the document as it is now (a ``FormDocument``). The clerk wants more pages scanned into this document. The clerk wants pages added from files.</extracomment>
        <translation>材料页面</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Optional; e.g. front and back</source>
        <translation>可不填，如：正反面</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Document &amp;type</source>
        <translation>材料类型(&amp;T)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>T&amp;itle</source>
        <translation>标题(&amp;I)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Belongs to</source>
        <translation>所属当事人(&amp;B)</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Turn right</source>
        <translation>向右转</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Turn left</source>
        <translation>向左转</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove page</source>
        <translation>删除此页</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Scan more pages</source>
        <translation>继续扫描</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add pages from files</source>
        <translation>从文件添加页面</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+70" />
        <source>This PDF ({pages} pages) is attached exactly as it was received; its pages cannot be changed here. Its type, title and party can.</source>
        <translation>此 PDF（{pages} 页）按收到时的原样附入，不能在这里更改页面；可以更改它的类型、标题和所属当事人。</translation>
    </message>
    <message>
        <location line="+74" />
        <source>A document keeps at least one page. To drop the whole document, remove it from the list of documents (Del there).</source>
        <translation>一份材料至少保留一页。如要去掉整份材料，请在材料列表中移除（在列表中按 Del）。</translation>
    </message>
    <message>
        <location line="+90" />
        <source>Page {number} of {count} · {width:.0f} × {height:.0f} mm · {dpi:.0f} dpi</source>
        <translation>第 {number} 页，共 {count} 页 · {width:.0f} × {height:.0f} 毫米 · {dpi:.0f} dpi</translation>
    </message>
    <message>
        <location line="+3" />
        <source>turned {degrees}° clockwise</source>
        <translation>已顺时针旋转 {degrees}°</translation>
    </message>
</context>
<context>
    <name>PageListModel</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/models.py" line="+80" />
        <source>Page {number}</source>
        <translation>第 {number} 页</translation>
    </message>
    <message>
        <location line="+2" />
        <source>(turned {degrees}°)</source>
        <translation>（已旋转 {degrees}°）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>{source}
{width:.0f} × {height:.0f} mm, {dpi:.0f} dpi</source>
        <translation>{source}
{width:.0f} × {height:.0f} 毫米，{dpi:.0f} dpi</translation>
    </message>
</context>
<context>
    <name>PagePreview</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/pages.py" line="-354" />
        <source>Preview of the chosen page</source>
        <extracomment>Previews are decoded at one of these sizes (a cache hit while the dialog is resized a little). The size it would like to decode the page at changed (the dialog was resized).</extracomment>
        <translation>所选页面的预览</translation>
    </message>
</context>
<context>
    <name>PaperSource</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/models.py" line="-320" />
        <source>Flatbed</source>
        <translation>平板</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Document feeder</source>
        <translation>自动送纸器</translation>
    </message>
</context>
<context>
    <name>PartiesModel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/parties_model.py" line="+14" />
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Name</source>
        <translation>姓名（名称）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+1" />
        <source>ID document</source>
        <translation>证件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Agent</source>
        <translation>代理人</translation>
    </message>
</context>
<context>
    <name>IdCardReader</name>
    <message>
        <source>Scan the ID card…</source>
        <translation>扫描身份证…</translation>
    </message>
    <message>
        <source>Choose the card's images…</source>
        <translation>选择证件图片…</translation>
    </message>
    <message>
        <source>Images of the ID card (front and back)</source>
        <translation>身份证图片（正面和背面）</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.tif *.tiff)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Scan the ID card</source>
        <translation>扫描身份证</translation>
    </message>
    <message>
        <source>Reading the ID card…</source>
        <translation>正在读取身份证…</translation>
    </message>
</context>
<context>
    <name>PartyForm</name>
    <message>
        <source>Read from ID card…</source>
        <translation>从身份证读取…</translation>
    </message>
    <message>
        <source>Scan the resident ID card or choose its images (front and back); you can also drop the image files on this party</source>
        <translation>扫描居民身份证，或选择证件正反面的图片；也可以把图片文件拖到本当事人上</translation>
    </message>
    <message>
        <source>Confirm the card fields</source>
        <translation>确认证件信息</translation>
    </message>
    <message>
        <source>The fields marked “from the card” match the card</source>
        <translation>标有“来自证件”的各项与证件一致</translation>
    </message>
    <message>
        <source>Issued by {authority}</source>
        <translation>签发机关 {authority}</translation>
    </message>
    <message>
        <source>valid {start} to {end}</source>
        <translation>有效期限 {start} 至 {end}</translation>
    </message>
    <message>
        <source>From the card: </source>
        <translation>证件背面：</translation>
    </message>
    <message>
        <source>from the card</source>
        <translation>来自证件</translation>
    </message>
    <message>
        <source>Filled from the ID card: compare it with the card, then correct it or press “Confirm the card fields”</source>
        <translation>由身份证读取填入：请与证件核对，有误直接改正，无误请按“确认证件信息”</translation>
    </message>
    <message>
        <source>Worked out from the date of birth (the ID number's when there is one)</source>
        <translation>按出生日期（有身份证号码的按号码中的出生日期）自动判断</translation>
    </message>
    <message>
        <source>Tick for a minor whose date of birth is not known</source>
        <translation>不知道出生日期的未成年人，请勾选此项</translation>
    </message>
    <message>
        <source>Position of the legal representative</source>
        <translation>法定代表人职务</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/intake/party.py" line="+114" />
        <source>Remove this party</source>
        <extracomment>The 56 ethnic groups, 汉族 first, then in the order of GB/T 3304. How an agent's authority is usually written on the 授权委托书; anything else may be typed. Earlier cases listed under a party; the rest are counted. Something the clerk typed or chose changed. The clerk asked to remove this party: this form. The person is now identifiable (valid ID, or name with a valid phone): look them up. A respondent's name or number changed: check for a crowd of complaints against them. A case number in the history was clicked: its id. The kind or the agent switch changed which fields are shown (tab order must follow). The resident ID number sex and birth date were last filled from. Read operations in flight for this party (cancelled when it goes away).</extracomment>
        <translation>删除此当事人</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+8" />
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Document number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+2" />
        <source>e.g. 1980-01-02</source>
        <translation>如 1980-01-02</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Work unit</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Minor</source>
        <translation>未成年人</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Legal representative</source>
        <translation>法定代表人（负责人）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Has an agent</source>
        <translation>有代理人</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Agent's name</source>
        <translation>代理人姓名</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Agent's phone</source>
        <translation>代理人电话</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Authority granted</source>
        <translation>代理权限</translation>
    </message>
    <message>
        <location line="+109" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Name of the organisation</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Registered address</source>
        <translation>住所地</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Party {number}</source>
        <translation>第 {number} 位当事人</translation>
    </message>
    <message>
        <location line="+65" />
        <source>Enter the party's name.</source>
        <translation>请填写当事人姓名。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Enter the name of the organisation.</source>
        <translation>请填写单位名称。</translation>
    </message>
    <message>
        <location line="+89" />
        <source>This person has an open case {number} ({state}); this registration will be marked as a repeat visit.</source>
        <translation>此人有未结案件 {number}（{state}），本次登记将标记为重复来访。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>This person has an open case {number} ({state}).</source>
        <translation>此人有未结案件 {number}（{state}）。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Cases of this person at the center ({count}):</source>
        <translation>此人在本中心的案件（共 {count} 件）：</translation>
    </message>
    <message>
        <location line="+8" />
        <source>… and {count} more</source>
        <translation>……另有 {count} 件</translation>
    </message>
    <message>
        <location line="+19" />
        <source>⚠ Possible group dispute: {applicants} applicants brought {cases} case(s) against this respondent in the last {days} days (the center flags {threshold} or more). Check, and tick “Group dispute” if so.</source>
        <translation>⚠ 可能为群体性纠纷：近 {days} 天内已有 {applicants} 名申请人针对该被申请人登记 {cases} 件纠纷（本中心达到 {threshold} 名即提示）。请核实，属实请勾选“群体性纠纷”。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>{applicants} applicant(s) brought {cases} case(s) against this respondent in the last {days} days.</source>
        <translation>近 {days} 天内已有 {applicants} 名申请人针对该被申请人登记 {cases} 件纠纷。</translation>
    </message>
    <message>
        <source>“{name}” is the name of an organisation: the party is now a {kind}.</source>
        <translation>“{name}”是单位名称：当事人已改为{kind}。</translation>
    </message>
    <message>
        <source>{code} is a unified social credit code: the party is now a {kind}, the code is in its field.</source>
        <translation>{code} 是统一社会信用代码：当事人已改为{kind}，代码已移到统一社会信用代码栏。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source> ({keys})</source>
        <translation>（{keys}）</translation>
    </message>
    <message>
        <source>Remove this party ({keys})</source>
        <translation>删除此当事人（{keys}）</translation>
    </message>
    <message>
        <source>Filled in from the ID number (click to change)</source>
        <translation>已按身份证号码自动填写（点击可修改）</translation>
    </message>
</context>
<context>
    <name>PartyKind</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="-13" />
        <source>Natural person</source>
        <translation>自然人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Legal person</source>
        <translation>法人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unincorporated organisation</source>
        <translation>非法人组织</translation>
    </message>
</context>
<context>
    <name>PartyRole</name>
    <message>
        <location line="-7" />
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Respondent</source>
        <translation>被申请人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Third party</source>
        <translation>第三人</translation>
    </message>
</context>
<context>
    <name>PasswordChangeDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/password_change.py" line="+59" />
        <source>{app} — Change password</source>
        <translation>{app} — 修改密码</translation>
    </message>
    <message>
        <location line="+3" />
        <source>An administrator set the password of {name} ({user}). Choose your own password before you start work.</source>
        <translation>{name}（{user}）的密码由系统管理员设置。开始工作前，请设置您自己的密码。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Change the password of {name} ({user}).</source>
        <translation>修改 {name}（{user}）的密码。</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <location line="+1" />
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location line="+1" />
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+29" />
        <source>lower case</source>
        <translation>小写字母</translation>
    </message>
    <message>
        <location line="+0" />
        <source>upper case</source>
        <translation>大写字母</translation>
    </message>
    <message>
        <location line="+0" />
        <source>digits</source>
        <translation>数字</translation>
    </message>
    <message>
        <location line="+0" />
        <source>symbols</source>
        <translation>符号</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{n} of at least 8 characters</source>
        <translation>已输入 {n} 个字符（至少 8 个）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>At least 8 characters, from at least three of: lower case, upper case, digits, symbols.</source>
        <translation>至少 8 个字符，包含小写字母、大写字母、数字、符号中的至少三类。</translation>
    </message>
    <message>
        <location line="+28" />
        <source>Enter your current password.</source>
        <translation>请输入原密码。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The two new passwords are not the same.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>PlansModel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/visits.py" line="+83" />
        <source>Due</source>
        <translation>应回访日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Visited {day}</source>
        <translation>已于{day}回访</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Overdue by {days} days</source>
        <translation>已逾期{days}天</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Due today</source>
        <translation>今天到期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>In {days} days</source>
        <translation>{days}天后到期</translation>
    </message>
</context>
<context>
    <name>PresenceMode</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_models.py" line="-25" />
        <source>Resident</source>
        <translation>常驻</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Rotating</source>
        <translation>轮驻</translation>
    </message>
    <message>
        <location line="+1" />
        <source>On call</source>
        <translation>随叫随驻</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/jobs.py" line="+59" />
        <location line="+23" />
        <source>Cancel</source>
        <extracomment>Steps of the progress bar (the scanning package reports fractions of any total). A ``Progress`` (emitted on the worker; delivered on the GUI thread).</extracomment>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>PublicityPanel</name>
    <message>
        <source>Checking for changes since approval: {shown} of {total} rows…</source>
        <translation>正在核对审核后的变动：已核对 {shown} 行，共 {total} 行…</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/desk/publicity.py" line="+165" />
        <source>The month whose accepted and closed cases are published</source>
        <extracomment>True on rows whose case changed since the approval. A month's overview arrived and is shown. A PDF was written: its path. Pages went to the printer: their number. Where the PDF goes (tests replace it; the desk asks with a save dialog). The printer to print on, or None when the user cancels (tests replace it).</extracomment>
        <translation>公示哪个月受理和办结的案件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Approve</source>
        <translation>审核通过(&amp;A)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Keep the list as it reads now as the approved list of the month</source>
        <translation>将当前名单保存为本月已审核的公示名单</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>P&amp;rint…</source>
        <translation>打印(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <location line="+67" />
        <source>{accepted} accepted, {closed} closed.</source>
        <translation>本月受理 {accepted} 件，办结 {closed} 件。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Not approved.</source>
        <translation>未审核。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The approved list no longer matches its hash: approve the month again.</source>
        <translation>已审核名单的存档与校验值不符，请重新审核本月名单。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Approved on {when} by {who}.</source>
        <translation>已审核：{who}，{when}。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{n} case(s) changed since approval and need re-approval (highlighted).</source>
        <translation>{n} 件案件审核后有变动，需重新审核（已标出）。</translation>
    </message>
    <message>
        <location line="+44" />
        <source>Saved as {path}</source>
        <translation>已保存为 {path}</translation>
    </message>
    <message>
        <location line="+21" />
        <source>{n} page(s) sent to the printer</source>
        <translation>已将 {n} 页送往打印机</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Export the publicity list</source>
        <translation>导出公示名单</translation>
    </message>
    <message>
        <location line="+1" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Print the publicity list</source>
        <translation>打印公示名单</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>公示月份</translation>
    </message>
    <message>
        <source>Approve the publicity list</source>
        <translation>审核公示名单</translation>
    </message>
    <message>
        <source>Once approved, the list of {month} as shown is kept as the month's approved publicity list; this cannot be withdrawn.</source>
        <translation>审核通过后，{month}的公示名单将按当前所示内容保存为本月已审核的公示名单，不能撤回。</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>The list as shown is approved already</source>
        <translation>当前所示名单已审核通过</translation>
    </message>
    <message>
        <source>Feed&amp;back contacts…</source>
        <translation>反馈方式(&amp;B)…</translation>
    </message>
    <message>
        <source>The address, phone and mailbox the web page gives for feedback</source>
        <translation>公示网页上供群众反映意见的地址、电话和邮箱</translation>
    </message>
    <message>
        <source>Feedback contacts saved</source>
        <translation>反馈方式已保存</translation>
    </message>
    <message>
        <source>Export &amp;web page…</source>
        <translation>导出网页(&amp;W)…</translation>
    </message>
    <message>
        <source>Write the approved list as a web page for the center's website</source>
        <translation>将已审核的公示名单生成网页，供上传到中心网站</translation>
    </message>
    <message>
        <source>Web page saved as {path}</source>
        <translation>公示网页已保存为 {path}</translation>
    </message>
    <message>
        <source>Folder for the web page</source>
        <translation>选择存放公示网页的文件夹</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the export or the print under way</source>
        <translation>停止正在进行的导出或打印</translation>
    </message>
    <message>
        <source>Reading the publicity list…</source>
        <translation>正在读取公示名单…</translation>
    </message>
    <message>
        <source>Cancelled: no file was written</source>
        <translation>已取消，未生成文件</translation>
    </message>
    <message>
        <source>Printing cancelled: nothing was sent</source>
        <translation>已取消打印（未送出任何页）</translation>
    </message>
    <message>
        <source>Laying out the publicity list ({n} cases)…</source>
        <translation>正在排版公示名单（{n} 件）…</translation>
    </message>
    <message>
        <source>The pages chosen hold none of the list's {total} pages.</source>
        <translation>所选页码范围不在名单的 {total} 页之内。</translation>
    </message>
    <message>
        <source>The publicity list of the month has {pages} pages ({cases} cases). Print it?</source>
        <translation>本月公示名单共 {pages} 页（{cases} 件），确定打印？</translation>
    </message>
    <message>
        <source>The publicity list of the month has {pages} pages ({cases} cases). Print pages {first}–{last} ({count} pages)?</source>
        <translation>本月公示名单共 {pages} 页（{cases} 件），确定打印第 {first}–{last} 页（共 {count} 页）？</translation>
    </message>
    <message>
        <source>Printing cancelled ({n} page(s) sent)</source>
        <translation>已取消打印（已送出 {n} 页）</translation>
    </message>
    <message>
        <source>Making the publicity PDF: page {done} of {total}…</source>
        <translation>正在生成公示 PDF：第 {done} / {total} 页…</translation>
    </message>
    <message>
        <source>Preparing the print: page {done} of {total}…</source>
        <translation>正在准备打印：第 {done} / {total} 页…</translation>
    </message>
    <message>
        <source>Printing: page {done} of {total}…</source>
        <translation>正在打印：第 {done} / {total} 页…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PublicityRowsModel</name>
    <message>
        <location line="-289" />
        <source>Part</source>
        <extracomment>Resolution pages are painted at for a printer (enough for 小五 text and the table rules).</extracomment>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accepted on</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Applicants</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Respondents</source>
        <translation>被申请人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Team</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State or result</source>
        <translation>办理状态/结果</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Closed on</source>
        <translation>结案日期</translation>
    </message>
</context>
<context>
    <name>RecordsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/records.py" line="+69" />
        <source>Held at</source>
        <extracomment>The document kind (``dossier.render_document``) of each record kind.</extracomment>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Investigation</source>
        <translation>调查</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Mediation session</source>
        <translation>调解</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Signed (read-only)</source>
        <translation>已签名（只读）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Draft (editable)</source>
        <translation>草稿（可修改）</translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <location line="+95" />
        <source>No investigation or mediation record yet.</source>
        <extracomment>Whether this user may add and correct records of the case now. The open conflict dialog (another desk saved the record being edited), if any. Asks a yes/no question (title, text) → yes; a seam so tests answer without a modal loop.</extracomment>
        <translation>尚无调查记录或调解记录。</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+346" />
        <source>New investigation record</source>
        <translation>新建调查记录</translation>
    </message>
    <message>
        <location line="-345" />
        <source>Record an investigation (Ctrl+Shift+I)</source>
        <translation>填写调查记录（Ctrl+Shift+I）</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+342" />
        <source>New mediation record</source>
        <translation>新建调解记录</translation>
    </message>
    <message>
        <location line="-341" />
        <source>Record a mediation session (Ctrl+Shift+M)</source>
        <translation>填写调解记录（Ctrl+Shift+M）</translation>
    </message>
    <message>
        <location line="+26" />
        <source>Signed by the participants: this record can no longer be changed. Make a supplementary record to correct it.</source>
        <translation>参加人已签名确认：本记录不能再修改；如需更正，请另做补充记录。</translation>
    </message>
    <message>
        <location line="+9" />
        <source>What the session was about, e.g. the compensation for the wall</source>
        <translation>本次调解的事由，如围墙损失赔偿</translation>
    </message>
    <message>
        <location line="+6" />
        <source>e.g. neighbour, witness, village committee</source>
        <translation>如邻居、证人、村委会</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Relatives, village cadres, lawyers … who took part</source>
        <translation>参加调解的亲属、村干部、律师等</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The parties were told their rights and duties before the mediation</source>
        <translation>调解前已告知当事人权利义务</translation>
    </message>
    <message>
        <location line="+4" />
        <source>What each side said: the applicant …; the respondent …</source>
        <translation>各方陈述：申请人称……；被申请人称……</translation>
    </message>
    <message>
        <location line="+3" />
        <source>What was agreed, or why no agreement was reached and what the parties may do next</source>
        <translation>达成的协议内容，或未达成协议的原因及当事人可以采取的途径</translation>
    </message>
    <message>
        <location line="+2" />
        <source>An agreement was reached</source>
        <translation>达成调解协议</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Held at</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Subject</source>
        <translation>事由</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Investigators</source>
        <translation>调查人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediators</source>
        <translation>调解员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Recorder</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Interviewee</source>
        <translation>被调查人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Relation to the case</source>
        <translation>与本案关系</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Parties present</source>
        <translation>到场当事人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Others present</source>
        <translation>其他参加人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Rights and duties</source>
        <translation>权利义务告知</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What was found</source>
        <translation>调查内容</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Statements</source>
        <translation>各方陈述</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Facts verified</source>
        <translation>核实情况</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Outcome</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Agreement</source>
        <translation>协议</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save the record (Ctrl+S)</source>
        <translation>保存记录（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Signed…</source>
        <translation>已签名…</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+281" />
        <source>The participants signed the printed record: lock it</source>
        <translation>参加人已在打印的记录上签名：锁定记录</translation>
    </message>
    <message>
        <location line="-280" />
        <source>Print / preview…</source>
        <translation>打印/预览…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Preview and print the saved record (Ctrl+P)</source>
        <translation>预览并打印已保存的记录（Ctrl+P）</translation>
    </message>
    <message>
        <location line="+135" />
        <source>The case is finished: its records can be read and printed, not changed.</source>
        <translation>案件已办结：记录只能查看和打印，不能修改。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Only the mediators of the case's team and the center head write its records.</source>
        <translation>只有本案所属调解团队的调解员和中心主任可以填写记录。</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The record being edited has unsaved changes. Discard them?</source>
        <translation>正在编辑的记录有未保存的修改，是否放弃？</translation>
    </message>
    <message>
        <location line="+76" />
        <location line="+197" />
        <source>Mediation record</source>
        <translation>调解记录</translation>
    </message>
    <message>
        <location line="-195" />
        <location line="+195" />
        <source>Investigation record</source>
        <translation>调查记录</translation>
    </message>
    <message>
        <location line="-162" />
        <source>Save the changes first</source>
        <translation>请先保存修改</translation>
    </message>
    <message>
        <location line="+53" />
        <source>Saved at {time}.</source>
        <translation>已于 {time} 保存。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Record signed</source>
        <translation>记录已签名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Confirm that everyone named in the printed record has signed it. A signed record can no longer be edited; corrections go into a new record.</source>
        <translation>请确认记录中列明的各方均已在打印件上签名。签名后的记录不能再修改，更正须另做新记录。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Marked as signed; the record is now read-only.</source>
        <translation>已标记为签名确认，记录现为只读。</translation>
    </message>
    <message>
        <location line="+57" />
        <source>The record was signed meanwhile: put your changes into a new record.</source>
        <translation>这份记录已在此期间签字确认，不能再修改：请把您的修改写入一份新记录。</translation>
    </message>
    <message>
        <source>Day held</source>
        <translation>记录日期</translation>
    </message>
    <message>
        <source>Time held</source>
        <translation>记录时间</translation>
    </message>
    <message>
        <source>Merge markers left</source>
        <translation>合并标记未删除</translation>
    </message>
    <message>
        <source>“{field}” still holds the 【】 markers of the merge with your colleague's save. Save it with the markers? Choose No to combine the two passages and delete the markers first.</source>
        <translation>“{field}”里还留有与同事内容合并时的【】标记。要连同标记一起保存吗？选“否”可先合并两段文字、删除标记。</translation>
    </message>
    <message>
        <source>Your changes and {who}'s are both in the form, not yet saved. Where you both changed the same passage ({fields}), both texts are kept between 【】 markers: combine them, delete the markers, then save.</source>
        <translation>您的修改和{who}保存的内容都已放入表单，尚未保存。双方改了同一处的地方（{fields}），两段文字都保留在【】标记之间：请合并、删除标记后再保存。</translation>
    </message>
    <message>
        <source>Your changes and {who}'s are both in the form, not yet saved: check them, then save.</source>
        <translation>您的修改和{who}保存的内容都已放入表单，尚未保存：请核对后再保存。</translation>
    </message>
    <message>
        <source>your colleague</source>
        <translation>同事</translation>
    </message>
</context>
<context>
    <name>RecusalOutcome</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="-12" />
        <source>No need to recuse</source>
        <translation>无需回避</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Recuse</source>
        <translation>回避</translation>
    </message>
</context>
<context>
    <name>RecusalRow</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/routing.py" line="-448" />
        <source>Decide…</source>
        <extracomment>Rows a tick list shows before it scrolls. The set of ticked items changed.</extracomment>
        <translation>请决定…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Why no recusal is needed (e.g. a different family)</source>
        <translation>无需回避的理由（如：并非同一家庭）</translation>
    </message>
</context>
<context>
    <name>ResultModel</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/scanback.py" line="+80" />
        <source>Result</source>
        <extracomment>The settings key of the folder this desk watches for signed paper. "filed", "unmatched" or "refused": the colour of the line. The case the line filed to (double-click or Enter opens it).</extracomment>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>ReturnVisit</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/visits.py" line="-62" />
        <source>Phone return visit</source>
        <translation>电话回访</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Home visit</source>
        <translation>上门走访</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Text message or WeChat</source>
        <translation>短信/微信</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Performed</source>
        <translation>已履行</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Partly performed</source>
        <translation>部分履行</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Not performed</source>
        <translation>未履行</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
</context>
<context>
    <name>RiskLevel</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="+42" />
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Orange</source>
        <translation>橙</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Yellow</source>
        <translation>黄</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Blue</source>
        <translation>蓝</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location line="-42" />
        <source>Intake clerk</source>
        <translation>受理员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Center head</source>
        <translation>中心主任</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>ScanBackPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/scanback.py" line="+78" />
        <source>Signed papers coming back</source>
        <extracomment>Open a case: a result line that filed to one was double-clicked (or Enter pressed on it). Made for the watched folder (tests give it a fake clock). The dialogs while they are open (tests drive them). Seconds spent reading each page's code in the last run (shown, and read by tests).</extracomment>
        <translation>签字文书回收</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Scan the signed pages, import their files, or let the copier scan into a watched folder. Each page is filed to its case and document by the QR code printed on it; pages without a readable code wait below.</source>
        <translation>扫描签字后的纸面文书、导入其文件，或让复印机扫描到监视文件夹。每页按其上印有的二维码自动归入对应案件和文书；二维码无法识别的页面在右侧等待人工归档。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Scan…</source>
        <translation>扫描(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Import files… (Ctrl+O)</source>
        <translation>导入文件(&amp;I)…（Ctrl+O）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Watch a folder…</source>
        <translation>监视文件夹(&amp;W)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stop watching</source>
        <translation>停止监视</translation>
    </message>
    <message>
        <location line="+33" />
        <source>Pages waiting to be filed</source>
        <translation>待归档页面</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No page is waiting.</source>
        <translation>没有待归档的页面。</translation>
    </message>
    <message>
        <location line="+8" />
        <source>e.g. (2026) ... No. 0003</source>
        <translation>例如：（2026）甘矛调字第0003号</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>after the last page</source>
        <translation>接在最后一页之后</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File to the &amp;case</source>
        <translation>归入案件(&amp;C)</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+413" />
        <source>&amp;Discard the page</source>
        <translation>删除此页(&amp;D)</translation>
    </message>
    <message>
        <location line="-403" />
        <source>Case &amp;number</source>
        <translation>案件编号(&amp;N)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Document</source>
        <translation>文书(&amp;D)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>As &amp;page</source>
        <translation>作为第几页(&amp;P)</translation>
    </message>
    <message>
        <location line="+103" />
        <source>Import signed scans</source>
        <translation>导入签字文书扫描件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Scans and PDF files (*.jpg *.jpeg *.png *.tif *.tiff *.pdf);;All files (*)</source>
        <translation>扫描件和 PDF 文件 (*.jpg *.jpeg *.png *.tif *.tiff *.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Importing {n} file(s)…</source>
        <translation>正在导入 {n} 个文件…</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Reading the codes of {n} page(s)…</source>
        <translation>正在识别 {n} 页的二维码…</translation>
    </message>
    <message>
        <location line="+35" />
        <source>{pages} page(s) read ({ms} ms a page): {filed} document(s) filed, {unmatched} page(s) waiting to be filed by hand.</source>
        <translation>已识别 {pages} 页（每页 {ms} 毫秒）：{filed} 份文书已归档，{unmatched} 页待人工归档。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>{n} file(s) could not be read.</source>
        <translation>{n} 个文件无法读取。</translation>
    </message>
    <message>
        <location line="+14" />
        <source>The folder the copier scans into</source>
        <translation>复印机扫描存放的文件夹</translation>
    </message>
    <message>
        <location line="+15" />
        <source>The folder {folder} does not exist or cannot be opened.</source>
        <translation>文件夹 {folder} 不存在或无法打开。</translation>
    </message>
    <message>
        <location line="+25" />
        <source>Watching {folder}</source>
        <translation>正在监视 {folder}</translation>
    </message>
    <message>
        <location line="+80" />
        <source>No preview for this page.</source>
        <translation>此页无法预览。</translation>
    </message>
    <message>
        <location line="+31" />
        <source>(the case only, no particular document)</source>
        <translation>（仅归入案件，不属于某份文书）</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Filed {file} to {case}.</source>
        <translation>已将 {file} 归入 {case}。</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Press again to discard</source>
        <translation>再按一次确认删除</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Discarded {file}.</source>
        <translation>已删除 {file}。</translation>
    </message>
</context>
<context>
    <name>ScanDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/dialog.py" line="+238" />
        <source>Scan a document</source>
        <extracomment>The folder a networked copier scans into; empty: none. Device options by SANE name, for a scanner that needs one (``{"test_picture": "Color pattern"}``). Written by an administrator into the settings file as JSON; not in the dialog. Which backend reaches each device (by device id). Backends that are installed but could not list their devices (their messages). The list was (re)read, or reading it failed: look at ``found`` and ``problem``. Why there is nothing to scan with (the scanning package's message), or "". Replaced in tests by a function returning fake scanners (or raising ScannerUnavailable). A successful scan: a :class:`ScanResult`. The clerk chose to import files instead (no scanner). The clerk chose to set up the watched folder instead (no scanner).</extracomment>
        <translation>扫描材料</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Scan more pages</source>
        <translation>继续扫描页面</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Look again (F5)</source>
        <translation>重新查找 (F5)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Import files instead… (Ctrl+O)</source>
        <translation>改为导入文件… (Ctrl+O)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use the watched folder…</source>
        <translation>使用扫描文件夹…</translation>
    </message>
    <message>
        <location line="+14" />
        <source>{dpi} dpi</source>
        <translation>{dpi} dpi</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+8" />
        <source>&amp;Scanner</source>
        <translation>扫描仪(&amp;S)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Resolution</source>
        <translation>分辨率(&amp;R)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Colour</source>
        <translation>色彩(&amp;C)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Paper</source>
        <translation>纸张来源(&amp;P)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Document &amp;type</source>
        <translation>材料类型(&amp;T)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Belongs to</source>
        <translation>所属当事人(&amp;B)</translation>
    </message>
    <message>
        <location line="+41" />
        <source>{label} ({id})</source>
        <translation>{label}（{id}）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Looking for scanners… (this can take a few seconds)</source>
        <translation>正在查找扫描仪…（可能需要几秒钟）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No scanner is connected. Check its cable and power, then press F5 to look again.</source>
        <translation>没有连接扫描仪。请检查数据线和电源，然后按 F5 重新查找。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Without a scanner, import the files of a camera or a copier, or let a networked copier scan into the watched folder.</source>
        <translation>没有扫描仪时，可以导入相机或复印机生成的文件，或让网络复印机扫描到“扫描文件夹”。</translation>
    </message>
    <message>
        <location line="+60" />
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <location line="+25" />
        <source>The scanner returned no page. Put the document on the glass (or in the feeder) and scan again.</source>
        <translation>扫描仪没有送回任何页面。请把材料放在玻璃板上（或放入送纸器）后重新扫描。</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <source>Connected (PostgreSQL {version}), but the database on the server has an older structure ({revision}) than this program ({head}). The center's administrator upgrades it first:
{command}</source>
        <translation>已连接（PostgreSQL {version}），但服务器上数据库的结构（{revision}）比本程序（{head}）旧。请中心管理员先升级：
{command}</translation>
    </message>
    <message>
        <source>Keep the password in the file {path}, readable only by this user (this computer has no system keychain)</source>
        <translation>把密码保存在文件 {path} 中，只有本用户能读（本机没有系统钥匙串）</translation>
    </message>
    <message>
        <source>This computer has no system keychain; the password can be kept in a file only this user can read.</source>
        <translation>本机没有系统钥匙串；密码可以保存在一个只有本用户能读的文件里。</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/shell/first_run.py" line="+36" />
        <source>The center's server</source>
        <translation>中心服务器</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The password is kept in the system keychain, never in a file.</source>
        <translation>密码保存在系统钥匙串中，不会写入文件。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>e.g. 192.168.1.10 or db.center.local</source>
        <translation>例如 192.168.1.10 或 db.center.local</translation>
    </message>
    <message>
        <location line="+12" />
        <source>&amp;Test the connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Server &amp;address</source>
        <translation>服务器地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Port</source>
        <translation>端口(&amp;P)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Database</source>
        <translation>数据库(&amp;D)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pass&amp;word</source>
        <translation>密码(&amp;W)</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Enter the server's address.</source>
        <translation>请填写服务器地址。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Enter the database's name.</source>
        <translation>请填写数据库名称。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Enter the user name of the database account.</source>
        <translation>请填写数据库账户的用户名。</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Connecting to {host}…</source>
        <translation>正在连接 {host}……</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Connected (PostgreSQL {version}). The center is already set up on this server ({users} accounts): Finish, then sign in with your account.</source>
        <translation>连接成功（PostgreSQL {version}）。该服务器上的中心已设置好（{users} 个账户）：点“完成”，然后用您的账户登录。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Connected (PostgreSQL {version}). The database is empty: the next pages set up the center on it.</source>
        <translation>连接成功（PostgreSQL {version}）。数据库是空的：接下来的步骤将在其中设置中心。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Connected (PostgreSQL {version}). The database has no accounts yet: the next pages set up the center on it.</source>
        <translation>连接成功（PostgreSQL {version}）。数据库中还没有账户：接下来的步骤将在其中设置中心。</translation>
    </message>
    <message>
        <source>Off (only on a trusted local network)</source>
        <translation>不加密（仅限可信的局域网）</translation>
    </message>
    <message>
        <source>If the server offers it</source>
        <translation>服务器支持时加密</translation>
    </message>
    <message>
        <source>Required (encrypted, certificate not checked)</source>
        <translation>必须加密（不核验证书）</translation>
    </message>
    <message>
        <source>Required, and the server's certificate checked (recommended)</source>
        <translation>必须加密，并核验服务器证书（推荐）</translation>
    </message>
    <message>
        <source>The center's CA certificate from the IT support (center-ca.crt)</source>
        <translation>信息技术人员给的中心 CA 证书（center-ca.crt）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>&amp;Encryption (TLS)</source>
        <translation>加密方式 TLS(&amp;E)</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <source>CA certificate: checking the server's certificate needs the center's CA certificate file from the IT support (or choose a weaker encryption explicitly).</source>
        <translation>CA 证书：核验服务器证书需要信息技术人员给的中心 CA 证书文件（或明确选择较弱的加密方式）。</translation>
    </message>
    <message>
        <source>CA certificate: {problem}</source>
        <translation>CA 证书：{problem}</translation>
    </message>
    <message>
        <source>The center's CA certificate</source>
        <translation>中心的 CA 证书</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>证书 (*.crt *.pem *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Encryption (TLS)</source>
        <translation>加密方式（TLS）</translation>
    </message>
    <message>
        <source>With “{mode}” this desk does not check the server's certificate: a computer on the network could pose as the server and read or change the cases and ID numbers on their way. Use it only if the IT support asked for it (for example until the server has its certificate). The choice is written to this desk's log. Go on anyway?</source>
        <translation>选择“{mode}”后，本机不核验服务器证书：网络上的其他电脑可能冒充服务器，读取或篡改传输中的案件和身份证号。只有信息技术人员要求时才这样选（例如服务器还没有证书时）。这一选择会写入本机的日志。仍要继续吗？</translation>
    </message>
</context>
<context>
    <name>ServerSettingsDialog</name>
    <message>
        <source>(kept in the file {path})</source>
        <translation>（已保存在文件 {path} 中）</translation>
    </message>
    <message>
        <source>Keep the password in the file {path}, readable only by this user (this computer has no system keychain)</source>
        <translation>把密码保存在文件 {path} 中，只有本用户能读（本机没有系统钥匙串）</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/shell/server_settings.py" line="+171" />
        <source>Database connection</source>
        <extracomment>libpq's sslmode values offered, in order of strictness. Seconds to wait for a server that does not answer (an unreachable address, a firewall). A connection test finished (its ``Probe``), or failed to run (a message).</extracomment>
        <translation>数据库连接</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Several desks of a center work on one PostgreSQL server. The password is kept in this computer's system keychain, never in a file. The new connection is used from the next start.</source>
        <translation>中心的多个窗口共用一台 PostgreSQL 服务器。密码保存在本机的系统钥匙串中，绝不写入文件。新的连接在下次启动时生效。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>e.g. 192.168.1.10 or db.center.local</source>
        <translation>例如 192.168.1.10 或 db.center.local</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Off (only on a trusted local network)</source>
        <translation>不加密（仅限可信的局域网）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>If the server offers it</source>
        <translation>服务器支持时加密</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Required (encrypted, certificate not checked)</source>
        <translation>必须加密（不核验证书）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Required, and the server's certificate checked (recommended)</source>
        <translation>必须加密，并核验服务器证书（推荐）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The center's CA certificate (.crt / .pem)</source>
        <translation>中心的 CA 证书（.crt / .pem）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Server &amp;address</source>
        <translation>服务器地址(&amp;A)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Port</source>
        <translation>端口(&amp;P)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Database</source>
        <translation>数据库(&amp;D)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Pass&amp;word</source>
        <translation>密码(&amp;W)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Encryption (TLS)</source>
        <translation>加密方式 TLS(&amp;E)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>CA certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Upgrade the database structure (administrator)</source>
        <translation>升级数据库结构（系统管理员）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The structure of a shared server changes the data of every desk: an administrator of the center signs in here to upgrade it. Make a backup of the server first (pg_dump).</source>
        <translation>共用服务器的数据库结构关系到每个窗口的数据：须由中心的系统管理员在此登录后升级。升级前请先备份服务器（pg_dump）。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Create/upgrade the database structure</source>
        <translation>创建/升级数据库结构</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Administrator</source>
        <translation>系统管理员账号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Administrator's password</source>
        <translation>系统管理员密码</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Use this computer's &amp;own database</source>
        <translation>改用本机数据库(&amp;O)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>From the next start this desk works on its own database file again; nothing on the server changes.</source>
        <translation>从下次启动起，本机重新使用自己的数据库文件；服务器上的数据不受影响。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+61" />
        <source>(kept in the system keychain)</source>
        <translation>（已保存在系统钥匙串中）</translation>
    </message>
    <message>
        <location line="+29" />
        <source>Server address: enter the server's name or IP address.</source>
        <translation>服务器地址：请填写服务器名称或 IP 地址。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Server address: it cannot contain spaces.</source>
        <translation>服务器地址：不能包含空格。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Database: enter the name of the center's database.</source>
        <translation>数据库：请填写中心数据库的名称。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>User name: enter the database account of this desk.</source>
        <translation>用户名：请填写本窗口使用的数据库账户。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>CA certificate: checking the server's certificate needs the center's CA certificate file.</source>
        <translation>CA 证书：核验服务器证书需要中心的 CA 证书文件。</translation>
    </message>
    <message>
        <location line="+14" />
        <source>The center's CA certificate</source>
        <translation>中心的 CA 证书</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>证书 (*.crt *.pem *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+33" />
        <source>Connecting to {host}:{port}…</source>
        <translation>正在连接 {host}:{port}…</translation>
    </message>
    <message>
        <location line="+24" />
        <source>The server {host} cannot be reached ({detail}). Check the address and port, that the server is running, and that no firewall blocks the port.</source>
        <translation>无法连接服务器 {host}（{detail}）。请检查地址和端口是否正确、服务器是否已开机运行，以及防火墙是否拦截了该端口。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The server {host} answers, but refused the user name or password of “{user}”. Check them (upper/lower case matters).</source>
        <translation>服务器 {host} 有响应，但拒绝了账户“{user}”的用户名或密码。请核对后重试（区分大小写）。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The server {host} accepted the account, but has no database “{database}”. Check its name with the administrator.</source>
        <translation>服务器 {host} 接受了该账户，但没有名为“{database}”的数据库。请向系统管理员核对数据库名称。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The connection to {host} failed: {detail}</source>
        <translation>连接 {host} 失败：{detail}</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Connected: the server is reachable and the account was accepted (PostgreSQL {version}, {encryption}).</source>
        <translation>已连接：服务器可以访问，账户和密码正确（PostgreSQL {version}，{encryption}）。</translation>
    </message>
    <message>
        <location line="+0" />
        <source>not encrypted</source>
        <translation>未加密</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The database structure is current ({revision}). You can save.</source>
        <translation>数据库结构是最新的（{revision}），可以保存。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The database is empty. An administrator creates its structure once, with the command: {command}</source>
        <translation>数据库是空的。须由系统管理员用以下命令创建一次数据库结构：{command}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>The database structure is older ({revision}; this program needs {head}). An administrator upgrades it below, or with the command: {command}</source>
        <translation>数据库结构较旧（{revision}，本程序需要 {head}）。请系统管理员在下方登录后升级，或运行命令：{command}</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The database structure ({revision}) is newer than this program: install the new version of Mediation Desk on this computer first.</source>
        <translation>数据库结构（{revision}）比本程序新：请先在本机安装新版矛调工作台。</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Administrator: enter the administrator's user name and password.</source>
        <translation>系统管理员：请填写系统管理员的用户名和密码。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Upgrading the database structure…</source>
        <translation>正在升级数据库结构…</translation>
    </message>
    <message>
        <location line="+8" />
        <source>The database structure was upgraded ({old} → {new}).</source>
        <translation>数据库结构已升级（{old} → {new}）。</translation>
    </message>
    <message>
        <location line="+42" />
        <source>Use this computer's own database</source>
        <translation>改用本机数据库</translation>
    </message>
    <message>
        <location line="+1" />
        <source>From the next start this desk works on its own database file on this computer and no longer sees the cases on the server. Nothing on the server is changed or deleted. Continue?</source>
        <translation>从下次启动起，本机将使用本机上的数据库文件，不再显示服务器上的案件。服务器上的数据不会被修改或删除。是否继续？</translation>
    </message>
    <message>
        <source>CA certificate: {problem}</source>
        <translation>CA 证书：{problem}</translation>
    </message>
    <message>
        <source>encrypted, the server's certificate checked</source>
        <translation>已加密，已核验服务器证书</translation>
    </message>
    <message>
        <source>encrypted, the server's certificate NOT checked</source>
        <translation>已加密，但未核验服务器证书</translation>
    </message>
    <message>
        <source>Encryption (TLS)</source>
        <translation>加密方式（TLS）</translation>
    </message>
    <message>
        <source>With “{mode}” this desk does not check the server's certificate: a computer on the network could pose as the server and read or change the cases and ID numbers on their way. Use it only if the IT support asked for it (for example until the server has its certificate). The choice is written to this desk's log. Save anyway?</source>
        <translation>选择“{mode}”后，本机不核验服务器证书：网络上的其他电脑可能冒充服务器，读取或篡改传输中的案件和身份证号。只有信息技术人员要求时才这样选（例如服务器还没有证书时）。这一选择会写入本机的日志。仍要保存吗？</translation>
    </message>
</context>
<context>
    <name>SigningDateDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/agreement.py" line="-604" />
        <source>Agreement signed</source>
        <translation>协议已签署</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The day all parties and the mediator signed and the committee's seal was put on. The agreement takes effect that day and can no longer be changed; the 30 days for judicial confirmation start.</source>
        <translation>各方当事人和调解员签名并加盖调委会印章之日。协议自该日起生效，不能再修改；申请司法确认的 30 日期限同时起算。</translation>
    </message>
    <message>
        <source>Signing date</source>
        <translation>签署日期</translation>
    </message>
</context>
<context>
    <name>SourceChannel</name>
    <message>
        <location filename="../../mediation_desk/ui/common/i18n.py" line="+24" />
        <source>Walk-in visit</source>
        <translation>来访</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Phone call</source>
        <translation>来电</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Letter</source>
        <translation>来信</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Online</source>
        <translation>网上</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grid worker report</source>
        <translation>网格员上报</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Police transfer</source>
        <translation>公安移交</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Delegated or entrusted by a court</source>
        <translation>法院委派/委托</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Petition office transfer</source>
        <translation>信访转办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Department transfer</source>
        <translation>部门转办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Active screening</source>
        <translation>主动排查</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>The password was not saved: {error} This session uses it; before the desk is started again, save it as said, or the desk cannot connect to the server.</source>
        <translation>密码没有保存：{error}本次运行仍使用这个密码；下次启动本机前，请按上面的说明保存密码，否则本机连不上服务器。</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/app.py" line="+206" />
        <source>The database was upgraded to this version of {app} (schema {old} → {new}). A copy of it from before the upgrade was saved as:
{path}</source>
        <extracomment>Cases the demo center starts with on a first run. What a first start on an empty default database does: ``wizard`` or ``demo``. The default SQLite file with no account at all: a first run, which gets the demo center. Demo seeding progress, emitted on the write lane: (cases done, cases in all). The main window is shown. Start-up ended with an error (the message), before the exit. ``wizard`` or ``demo``: what an empty default database gets (see first_run_mode()).</extracomment>
        <translation>数据库已升级到本版{app}所需的结构（{old} → {new}）。升级前的数据库已备份为：
{path}</translation>
    </message>
    <message>
        <location line="+29" />
        <source>First start: creating the demo center with {count} invented cases…</source>
        <translation>首次启动：正在创建演示中心（{count} 件虚构案件）…</translation>
    </message>
    <message>
        <location line="+80" />
        <source>{app} cannot start.</source>
        <translation>{app}无法启动。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Database connection…</source>
        <translation>数据库连接…</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Not saved yet: {items}. Unlock and save or discard it, then sign out.</source>
        <translation>尚未保存：{items}。请先解锁，保存或放弃后再注销。</translation>
    </message>
    <message>
        <source>Daily backup…</source>
        <translation>每日备份…</translation>
    </message>
    <message>
        <source>Daily backup {percent} %</source>
        <translation>每日备份 {percent}%</translation>
    </message>
    <message>
        <source>Today's copy of the database is being made; working on goes on meanwhile.</source>
        <translation>正在备份今天的数据库，备份期间可以照常工作。</translation>
    </message>
    <message>
        <source>Today's backup was saved as {path}</source>
        <translation>今天的数据库备份已保存为 {path}</translation>
    </message>
    <message>
        <source>The sign-in could not be saved in the database, so the session was ended. Please sign in again; if this happens again, tell the administrator (the reason is in the log).</source>
        <translation>登录记录未能写入数据库，本次登录已结束。请重新登录；如果再次出现，请告知系统管理员（原因已写入日志）。</translation>
    </message>
    <message>
        <source>Today's backup failed</source>
        <translation>今天的备份未完成</translation>
    </message>
    <message>
        <source>Today's copy of the database could not be made: {reason}. The earlier backups are intact; the next start tries again. Please tell the administrator.</source>
        <translation>今天的数据库备份未能完成：{reason}。以前的备份完好无损，下次启动时会再试。请告诉系统管理员。</translation>
    </message>
</context>
<context>
    <name>SupervisionBox</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/oversight.py" line="+20" />
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Supervise…</source>
        <translation>督办…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Issue a supervision order on this case to its team</source>
        <translation>对本案向承办团队发出督办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>No supervision order on this case.</source>
        <translation>本案没有督办。</translation>
    </message>
    <message>
        <location line="+8" />
        <source>What the team must do, e.g. hold a mediation session this week and report the outcome</source>
        <translation>督办意见，如：本周内组织调解并报告结果</translation>
    </message>
    <message>
        <location line="+2" />
        <source>To be finished by</source>
        <translation>限期办结</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Issue order</source>
        <translation>发出督办</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Instruction</source>
        <translation>督办意见</translation>
    </message>
</context>
<context>
    <name>OutageBanner</name>
    <message>
        <source>The connection to the center server is lost; retrying automatically… Saving is not possible until it is back: what you have typed stays in the window, save it again then.</source>
        <translation>与中心服务器的连接已中断，正在自动重试…在恢复之前无法保存：已填写的内容会保留在窗口中，连接恢复后请再保存一次。</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location line="+6" />
        <source>An unexpected error occurred ({kind}: {detail}). Nothing was saved. The details were written to the log file; please tell the administrator.</source>
        <translation>发生了意外错误（{kind}：{detail}）。本次操作没有保存任何内容。详细信息已写入日志文件，请告知系统管理员。</translation>
    </message>
</context>
<context>
    <name>TeamForm</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_forms.py" line="+157" />
        <source>Name</source>
        <translation>团队名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dispute types</source>
        <translation>承办纠纷类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>A type may be handled by several teams.</source>
        <translation>一种纠纷类型可以由几个团队共同承办。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Active mediators; unticking one ends their membership (it stays on record).</source>
        <translation>在岗调解员；取消勾选即记为离开团队（记录仍保留）。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Lead</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <location line="+21" />
        <location line="+45" />
        <source>{name} (deactivated)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <location line="-30" />
        <source>Choose among the members…</source>
        <translation>请从成员中选择…</translation>
    </message>
    <message>
        <location line="+28" />
        <source>New team</source>
        <translation>新建调解团队</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>所属中心</translation>
    </message>
</context>
<context>
    <name>TeamsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/org_models.py" line="+172" />
        <source>Team</source>
        <translation>团队名称</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Lead</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Members</source>
        <translation>成员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dispute types</source>
        <translation>承办纠纷类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open cases</source>
        <translation>在办案件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>TermsDelegate</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/agreement.py" line="-72" />
        <source>(choose)</source>
        <extracomment>The service's field name of a term → its column. The party id of an obligor/obligee cell. A cell was edited by the user. The amount being typed (text), for the capitals shown beside the table.</extracomment>
        <translation>（请选择）</translation>
    </message>
    <message>
        <location line="+0" />
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>TermsModel</name>
    <message>
        <location line="-229" />
        <source>Obligor</source>
        <extracomment>The service's message about this term, and the column it concerns.</extracomment>
        <translation>义务人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Obligee</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>What is to be done</source>
        <translation>履行内容</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Amount in capitals</source>
        <translation>金额大写</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Due by</source>
        <translation>履行期限</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Manner</source>
        <translation>履行方式</translation>
    </message>
    <message>
        <source>Term {number}: {message}</source>
        <translation>第 {number} 项：{message}</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/detail.py" line="-545" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+1" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>TransferTab</name>
    <message>
        <source>These are still the applicant's mediation requests, filled in only as a start: rewrite each as a claim the court can docket (what the court is asked to order), one per line, before printing the letter or exporting the packet.</source>
        <translation>这里仍是申请人申请调解的事项（仅作起草参考预先填入），不是诉讼请求：请逐项改写为请求人民法院判令或确认的内容（例如“判令被申请人赔偿医疗费5000元”），每行一项，改写后才能打印移送函或导出材料包。</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求事项</translation>
    </message>
    <message>
        <source>What the department is asked to do, one per line</source>
        <translation>请职能部门处理的事项，每行一条</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>the transfer to {name}</source>
        <translation>移送{name}的记录</translation>
    </message>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/transfer.py" line="+141" />
        <source>End of mediation</source>
        <extracomment>How the export's target file is chosen, and how a PDF is shown (tests replace both). The in-app preview of the printed transfer letter, once made.</extracomment>
        <translation>调解终结</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Why mediation failed, e.g. the respondent refuses any payment</source>
        <translation>调解不成的原因，例如被申请人拒绝任何赔偿</translation>
    </message>
    <message>
        <location line="+1" />
        <source>End mediation without agreement</source>
        <translation>终结调解（未达成协议）</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Undisputed facts</source>
        <translation>无争议事实</translation>
    </message>
    <message>
        <location line="+3" />
        <source>One fact per line that both sides accept</source>
        <translation>双方均认可的事实，每行一条</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Matters still in dispute</source>
        <translation>尚存争议的事项</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Parties have signed</source>
        <translation>当事人已签字</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Signed on</source>
        <translation>签字日期</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Facts</source>
        <translation>事实</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Still disputed</source>
        <translation>尚存争议</translation>
    </message>
    <message>
        <location line="+5" />
        <location line="+344" />
        <source>Transfer packet</source>
        <translation>移送材料包</translation>
    </message>
    <message>
        <location line="-339" />
        <source>e.g. the basic people's court of the district</source>
        <translation>例如：甘州区人民法院</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Draft claims for the court, one per line</source>
        <translation>拟向法院提出的诉讼请求，每行一条</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Print transfer letter…</source>
        <translation>打印移送函…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Make the transfer letter and the case summary to print and seal; the packet then carries exactly these, as long as the case, the receiving body and the claims stay the same</source>
        <translation>生成移送函和案件情况摘要，供打印盖章；只要案件、接收单位和诉讼请求不变，材料包中就是这两份文书</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Export packet…</source>
        <translation>导出材料包…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Send to</source>
        <translation>移送去向</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Receiving body</source>
        <translation>接收单位</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Claims</source>
        <translation>诉讼请求</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Transfers of this case</source>
        <translation>本案移送记录</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Confirm handed over</source>
        <translation>确认已移送</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Record received</source>
        <translation>登记已接收</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Record filing</source>
        <translation>登记立案</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Judgment, settlement, withdrawal, the department's decision…</source>
        <translation>判决、调解、撤诉或部门处理意见…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Record outcome</source>
        <translation>登记办理结果</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Received on</source>
        <translation>接收日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Court case number</source>
        <translation>立案案号</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Outcome</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <location line="+92" />
        <source>Mediation ended on {day}: {reason}</source>
        <translation>已于 {day} 终结调解：{reason}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Mediation has not been ended.</source>
        <translation>尚未终结调解。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Only a case in mediation or failed can be ended here.</source>
        <translation>只有“调解中”或“调解不成”的案件可以在此终结调解。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No statement drafted yet.</source>
        <translation>尚未起草无争议事实确认书。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Signed by the parties on {day}.</source>
        <translation>当事人已于 {day} 签字确认。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Draft, not signed yet.</source>
        <translation>草稿，当事人尚未签字。</translation>
    </message>
    <message>
        <location line="+17" />
        <source>A packet can be built once mediation has failed.</source>
        <translation>调解不成后才能生成移送材料包。</translation>
    </message>
    <message>
        <location line="+118" />
        <source>Preparing the transfer letter…</source>
        <translation>正在生成移送函……</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Transfer letter ready: print it and have it sealed. The packet will carry this letter and the case summary as long as the receiving body and the claims stay the same.</source>
        <translation>移送函已生成：请打印并加盖公章。只要接收单位和诉讼请求不变，材料包将附上这份移送函和案件情况摘要。</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Save transfer packet</source>
        <translation>保存移送材料包</translation>
    </message>
    <message>
        <location line="+1" />
        <source>ZIP packet (*.zip)</source>
        <translation>ZIP 材料包 (*.zip)</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Building the transfer packet…</source>
        <translation>正在生成移送材料包…</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+34" />
        <source>Packet written to {path} ({files} files). Confirm once it is handed over.</source>
        <translation>材料包已写入 {path}（{files} 个文件）。交付对方后请确认已移送。</translation>
    </message>
    <message>
        <source>Date mediation ended</source>
        <translation>终止调解日期</translation>
    </message>
    <message>
        <source>Filing date</source>
        <translation>立案日期</translation>
    </message>
    <message>
        <source>Outcome date</source>
        <translation>办结日期</translation>
    </message>
    <message>
        <source>your colleague</source>
        <translation>同事</translation>
    </message>
    <message>
        <source>Your changes and {who}'s are both in the boxes, not yet saved. Where you both changed the same passage ({fields}), both texts are kept between 【】 markers: combine them, delete the markers, then save.</source>
        <translation>您的修改和{who}保存的内容都已放入文本框，尚未保存。双方改了同一处的地方（{fields}），两段文字都保留在【】标记之间：请合并、删除标记后再保存。</translation>
    </message>
    <message>
        <source>Your changes and {who}'s are both in the boxes, not yet saved: check them, then save.</source>
        <translation>您的修改和{who}保存的内容都已放入文本框，尚未保存：请核对后再保存。</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>the reason for ending mediation</source>
        <translation>终止调解的理由</translation>
    </message>
    <message>
        <source>the undisputed facts</source>
        <translation>无争议事实</translation>
    </message>
    <message>
        <source>The parties have signed the facts meanwhile: they can no longer be changed.</source>
        <translation>当事人已在此期间签字确认无争议事实，不能再修改。</translation>
    </message>
    <message>
        <source>the transfer packet's receiving body and claims</source>
        <translation>移送材料的接收单位和请求事项</translation>
    </message>
    <message>
        <source>the court case number or outcome of the transfer</source>
        <translation>移送后的立案案号或处理结果</translation>
    </message>
    <message>
        <source>{number} termination and transfer: {parts}</source>
        <translation>{number} 终止与移送：{parts}</translation>
    </message>
</context>
<context>
    <name>UnmatchedModel</name>
    <message>
        <location filename="../../mediation_desk/ui/scanning/scanback.py" line="-534" />
        <source>Received</source>
        <extracomment>Lines kept: a day's returns, not a log.</extracomment>
        <translation>收到时间</translation>
    </message>
    <message>
        <location line="+1" />
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Came from</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Why it was not filed</source>
        <translation>未能归档的原因</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <location filename="../../mediation_desk/ui/admin/users.py" line="+56" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <location line="+34" />
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Locked until {time}</source>
        <translation>已锁定至 {time}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Active (must change password)</source>
        <translation>正常（须修改密码）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Active</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <location line="+34" />
        <location line="+107" />
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="-104" />
        <source>Must change the password at first sign-in</source>
        <translation>首次登录时必须修改密码</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location line="+4" />
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <location line="+2" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mediator record</source>
        <translation>对应调解员</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Passwords need at least 8 characters from at least three of: lower case, upper case, digits, symbols.</source>
        <translation>密码至少 8 个字符，并包含小写字母、大写字母、数字、符号中的至少三类。</translation>
    </message>
    <message>
        <location line="+7" />
        <location line="+115" />
        <source>Select a user in the list.</source>
        <translation>请在列表中选择一个用户。</translation>
    </message>
    <message>
        <location line="-111" />
        <source>Set new password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <location line="+1" />
        <location line="+111" />
        <location line="+5" />
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="-112" />
        <source>Selected user</source>
        <translation>所选用户</translation>
    </message>
    <message>
        <location line="+3" />
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location line="+106" />
        <source>{name} ({user}), {role}: {status}</source>
        <translation>{name}（{user}），{role}：{status}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Activate</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+31" />
        <source>Added the account “{user}”.</source>
        <translation>已添加账户“{user}”。</translation>
    </message>
    <message>
        <location line="+28" />
        <source>New password set for “{user}”; they must change it at their next sign-in.</source>
        <translation>已为“{user}”重设密码；该用户下次登录时须修改密码。</translation>
    </message>
    <message>
        <location line="+18" />
        <source>“{user}” can sign in again.</source>
        <translation>“{user}”已启用，可以重新登录。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>“{user}” can no longer sign in; their history keeps their name.</source>
        <translation>“{user}”已停用，不能再登录；其办理记录仍保留其姓名。</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>所属中心</translation>
    </message>
</context>
<context>
    <name>VisitsDuePanel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk/visits_due.py" line="+50" />
        <source>Refresh</source>
        <extracomment>Open this case: its id. The list was read again.</extracomment>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Return visits due</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location line="+50" />
        <source>Return visits due: {overdue} overdue, {soon} due within a week</source>
        <translation>待回访：{overdue} 件回访逾期，{soon} 件一周内到期</translation>
    </message>
    <message>
        <location line="+2" />
        <source>As of {today}. Double-click a row to open the case.</source>
        <translation>截至{today}。双击一行打开案件。</translation>
    </message>
</context>
<context>
    <name>VisitsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/cases/tabs/visits.py" line="+69" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Method</source>
        <translation>回访方式</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Visitor</source>
        <translation>回访人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Visited</source>
        <translation>被回访人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Performance</source>
        <translation>履行情况</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Findings</source>
        <translation>回访情况</translation>
    </message>
    <message>
        <location line="+17" />
        <source>[Reopened] </source>
        <translation>〔已重新调解〕</translation>
    </message>
</context>
<context>
    <name>VisitsTab</name>
    <message>
        <source>Court, case number or claim; blank if none</source>
        <translation>法院、案号或诉讼请求；没有起诉的留空</translation>
    </message>
    <message>
        <source>Blank if none found</source>
        <translation>未发现的留空</translation>
    </message>
    <message>
        <source>Later lawsuit</source>
        <translation>后续诉讼情况</translation>
    </message>
    <message>
        <source>Result of the lawsuit</source>
        <translation>诉讼结果</translation>
    </message>
    <message>
        <source>Hidden risks</source>
        <translation>矛盾隐患</translation>
    </message>
    <message>
        <source>the return visits of this case</source>
        <translation>本案的回访记录</translation>
    </message>
    <message>
        <source>If both are the same visit, choose Reload: yours is not recorded. If they are two visits, re-apply to record yours as well.</source>
        <translation>如果两条是同一次回访，请选择“重新载入”：您填写的不再登记。如果是两次不同的回访，请选择“重新应用我的修改并保存”，将您的这次也登记上。</translation>
    </message>
    <message>
        <location line="+49" />
        <source>Planned visits</source>
        <extracomment>After a successful write (the case page reloads itself). The page was read and shown (the case id).</extracomment>
        <translation>回访计划</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Reopen mediation…</source>
        <translation>重新调解…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Why the case is mediated again (goes on the timeline)</source>
        <translation>重新调解的原因（记入办理过程）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reopen the case</source>
        <translation>确认重新调解</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Visits made</source>
        <translation>回访记录</translation>
    </message>
    <message>
        <location line="+13" />
        <location line="+1" />
        <location line="+1" />
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <location line="+5" />
        <source>What was found: performance, later lawsuits, signs of new trouble, and what was done</source>
        <translation>回访情况：协议履行、是否另行起诉、有无新的矛盾隐患，以及采取的措施</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Record visit</source>
        <translation>登记回访</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Record a return visit</source>
        <translation>登记回访</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Visited on</source>
        <translation>回访日期</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Visitor</source>
        <translation>回访人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Parties visited</source>
        <translation>被回访当事人</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Answers the plan</source>
        <translation>对应回访计划</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Method</source>
        <translation>回访方式</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Performance</source>
        <translation>履行情况</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Findings</source>
        <translation>回访情况</translation>
    </message>
    <message>
        <location line="+86" />
        <source>This case has no agreement: there is no performance to check.</source>
        <translation>本案没有调解协议，无需填写履行情况。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Return visits are made after the case is closed.</source>
        <translation>回访在结案之后进行。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Only the center head or a mediator of the case's team records visits.</source>
        <translation>只有中心主任或承办团队的调解员可以登记回访。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The case is not closed: visits follow its closure.</source>
        <translation>案件尚未结案：结案后安排回访。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Closed on {day}.</source>
        <translation>{day}结案。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>First visit was due by {day}: overdue.</source>
        <translation>首次回访应在{day}前完成，已超期。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>First visit due by {day}.</source>
        <translation>首次回访应在{day}前完成。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{done} visits made, {waiting} planned visits waiting.</source>
        <translation>已回访{done}次，待回访{waiting}次。</translation>
    </message>
    <message>
        <location line="+15" />
        <source>(none: an extra visit, or whichever is due)</source>
        <translation>（不指定：临时回访，或自动对应到期的计划）</translation>
    </message>
    <message>
        <location line="+38" />
        <source>Visit of {day} recorded.</source>
        <translation>{day}的回访已登记。</translation>
    </message>
    <message>
        <location line="+56" />
        <source>The visit of {day} found: {finding}. The case was reopened because of it.</source>
        <translation>{day}回访发现：{finding}。案件已据此重新调解。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>The visit of {day} found: {finding}. The agreement is not kept or a party is unsatisfied: the head may reopen mediation.</source>
        <translation>{day}回访发现：{finding}。协议未履行或当事人不满意，中心主任可以决定重新调解。</translation>
    </message>
    <message>
        <location line="+34" />
        <source>The case is back in mediation; the reason is on its timeline.</source>
        <translation>案件已重新进入调解，原因已记入办理过程。</translation>
    </message>
    <message>
        <source>{number} return visits: a visit not recorded yet</source>
        <translation>{number} 回访：尚未登记的回访</translation>
    </message>
    <message>
        <source>{number} return visits: the reason for reopening</source>
        <translation>{number} 回访：重新调解的理由</translation>
    </message>
</context>
<context>
    <name>lock</name>
    <message>
        <location filename="../../mediation_desk/ui/shell/idle_lock.py" line="-166" />
        <source>{app} is locked</source>
        <extracomment>What counts as the user being there. What must not reach the windows underneath while locked.</extracomment>
        <translation>{app} 已锁屏</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The desk was locked after {minutes} minutes without use. {name} ({user}): enter your password to continue. What you had typed is kept.</source>
        <translation>{minutes} 分钟无操作，工作台已锁屏。{name}（{user}）：请输入密码继续工作。已录入的内容都保留着。</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Sign out…</source>
        <translation>退出登录…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Unlock</source>
        <translation>解除锁屏</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Unlock the desk in its main window.</source>
        <translation>请在主窗口中解除锁屏。</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>Choose on a calendar</source>
        <translation>在日历上选择</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
</context>
<context>
    <name>TrustedFilesystemsDialog</name>
    <message>
        <source>{app} — Trusted local filesystems</source>
        <translation>{app} — 可信的本地文件系统</translation>
    </message>
    <message>
        <source>This desk refuses to open its database file on a network or FUSE filesystem: several computers sharing one SQLite file damage it. If the file is on a local FUSE disk you trust, enter its type as shown in the third column of /proc/mounts (for example fuse.mergerfs). Network filesystems cannot be trusted. Each change is written to the audit log and takes effect at the next start.</source>
        <translation>本机拒绝在网络文件系统或 FUSE 文件系统上打开数据库文件：多台电脑共用一个 SQLite 文件会损坏数据。如果数据库文件位于您信任的本地 FUSE 磁盘上，请填写它的类型（/proc/mounts 第三列，例如 fuse.mergerfs）。网络文件系统不能设为可信。每次修改都记入审计日志，下次启动时生效。</translation>
    </message>
    <message>
        <source>none (separate several types with spaces)</source>
        <translation>无（多个类型用空格分隔）</translation>
    </message>
    <message>
        <source>Trusted FUSE types</source>
        <translation>可信的 FUSE 类型</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Saved: trusted FUSE types {types}. The change is in the audit log and takes effect at the next start.</source>
        <translation>已保存：可信的 FUSE 类型为 {types}。本次修改已记入审计日志，下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>TransferRowsModel</name>
    <message>
        <source>Sent to</source>
        <translation>移送去向</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Packet built</source>
        <translation>生成材料包</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>送出</translation>
    </message>
    <message>
        <source>Court case number</source>
        <translation>立案案号</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>办理结果</translation>
    </message>
</context>
<context>
    <name>WitnessesModel</name>
    <message>
        <source>Witness</source>
        <translation>证人</translation>
    </message>
    <message>
        <source>Named by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Can prove</source>
        <translation>能证明的事实</translation>
    </message>
    <message>
        <source>Found by the mediators</source>
        <translation>调解员查明</translation>
    </message>
</context>
<context>
    <name>WitnessesTab</name>
    <message>
        <source>Remove witness</source>
        <translation>删除证人</translation>
    </message>
    <message>
        <source>Add witness</source>
        <translation>添加证人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Named by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>Can prove</source>
        <translation>能证明的事实</translation>
    </message>
    <message>
        <source>Witnesses (printed in the court summary)</source>
        <translation>证人（列入案件情况摘要）</translation>
    </message>
    <message>
        <source>Save source and purpose</source>
        <translation>保存来源和证明目的</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>证据来源</translation>
    </message>
    <message>
        <source>Offered to prove</source>
        <translation>证明目的</translation>
    </message>
    <message>
        <source>Evidence: where it came from and what it proves</source>
        <translation>证据的来源和证明目的</translation>
    </message>
    <message>
        <source>Found by the mediators</source>
        <translation>调解员查明</translation>
    </message>
    <message>
        <source>No evidence yet: scan it in with the kind "evidence material".</source>
        <translation>尚无证据材料：扫描材料时请选择类别“证据材料”。</translation>
    </message>
    <message>
        <source>Witness {name} added.</source>
        <translation>已添加证人{name}。</translation>
    </message>
    <message>
        <source>Witness {name} removed.</source>
        <translation>已删除证人{name}。</translation>
    </message>
    <message>
        <source>Source and purpose of {file} saved.</source>
        <translation>已保存“{file}”的来源和证明目的。</translation>
    </message>
    <message>
        <source>Edit witness</source>
        <translation>修改证人</translation>
    </message>
    <message>
        <source>Open the chosen witness in the form to correct it (or double-click the row, or press Enter on it).</source>
        <translation>在下方表单中打开所选证人以便修改（也可双击该行，或选中该行后按回车键）。</translation>
    </message>
    <message>
        <source>New witness</source>
        <translation>登记新证人</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>取消修改</translation>
    </message>
    <message>
        <source>Correcting witness {name} (no. {seq})</source>
        <translation>修改证人{name}（第 {seq} 位）</translation>
    </message>
    <message>
        <source>Witness {name} saved.</source>
        <translation>证人{name}已保存。</translation>
    </message>
    <message>
        <source>Someone removed this witness meanwhile. What you typed is still in the form: add it again if the witness is still wanted.</source>
        <translation>该证人已被他人删除。您填写的内容仍在表单中：如仍需要该证人，请重新添加。</translation>
    </message>
    <message>
        <source>witness {name}</source>
        <translation>证人{name}</translation>
    </message>
    <message>
        <source>the source and purpose of {file}</source>
        <translation>“{file}”的证据来源和证明目的</translation>
    </message>
    <message>
        <source>The form holds what you typed and did not save: save or add it, or cancel, before opening another witness.</source>
        <translation>表单中有尚未保存的内容：请先保存或添加，或取消修改，再打开另一位证人。</translation>
    </message>
    <message>
        <source>a new witness</source>
        <translation>新证人</translation>
    </message>
</context>
<context>
    <name>ReceiptPrinter</name>
    <message>
        <source>Receipt {number}</source>
        <translation>受理回执 {number}</translation>
    </message>
    <message>
        <source>Sent to the printer {printer}.</source>
        <translation>已送打印机“{printer}”打印。</translation>
    </message>
</context>
<context>
    <name>Confirm</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CalendarModel</name>
    <message>
        <source> (day off)</source>
        <translation>（休）</translation>
    </message>
    <message>
        <source>Invited: {names}</source>
        <translation>受邀参加人：{names}</translation>
    </message>
    <message>
        <source>Mediators: {names}</source>
        <translation>调解员：{names}</translation>
    </message>
    <message>
        <source>Parties: {names}</source>
        <translation>当事人：{names}</translation>
    </message>
    <message>
        <source>{room}: {n} people{where}</source>
        <translation>{room}：可容纳 {n} 人{where}</translation>
    </message>
</context>
<context>
    <name>CalendarView</name>
    <message>
        <source> (day off)</source>
        <translation>（休）</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Earlier (Page Up)</source>
        <translation>往前（Page Up）</translation>
    </message>
    <message>
        <source>Export sessions</source>
        <translation>导出调解会日程</translation>
    </message>
    <message>
        <source>Export sessions (.ics)…</source>
        <translation>导出日程（.ics）…</translation>
    </message>
    <message>
        <source>Go to day</source>
        <translation>跳到日期</translation>
    </message>
    <message>
        <source>Later (Page Down)</source>
        <translation>往后（Page Down）</translation>
    </message>
    <message>
        <source>Later ▶</source>
        <translation>往后 ▶</translation>
    </message>
    <message>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Mediator:</source>
        <translation>调解员：</translation>
    </message>
    <message>
        <source>No mediation room is set up yet: the head or the administrator adds them under Rooms…</source>
        <translation>尚未设置调解室：请中心主任或系统管理员在“调解室…”中添加。</translation>
    </message>
    <message>
        <source>One day by room (Ctrl+D)</source>
        <translation>按调解室查看一天（Ctrl+D）</translation>
    </message>
    <message>
        <source>One week by room (Ctrl+W)</source>
        <translation>按调解室查看一周（Ctrl+W）</translation>
    </message>
    <message>
        <source>Rooms…</source>
        <translation>调解室…</translation>
    </message>
    <message>
        <source>The mediator's sessions of the next 90 days as a calendar file</source>
        <translation>把该调解员今后 90 天的调解会导出为日历文件</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>iCalendar files (*.ics)</source>
        <translation>iCalendar 日历文件 (*.ics)</translation>
    </message>
    <message>
        <source>{n} sessions written to {path}.</source>
        <translation>已将 {n} 次调解会写入 {path}。</translation>
    </message>
    <message>
        <source>{range}: {n} sessions</source>
        <translation>{range}：共 {n} 次调解会</translation>
    </message>
    <message>
        <source>◀ Earlier</source>
        <translation>◀ 往前</translation>
    </message>
</context>
<context>
    <name>CalendarWindow</name>
    <message>
        <source>Mediation sessions</source>
        <translation>调解会日历</translation>
    </message>
</context>
<context>
    <name>DeskSessionsModel</name>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Mediators</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>调解室</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>明天</translation>
    </message>
</context>
<context>
    <name>DeskSessionsPanel</name>
    <message>
        <source>Calendar…</source>
        <translation>日历…</translation>
    </message>
    <message>
        <source>Sessions by room, a week or a day at a time</source>
        <translation>按调解室查看一周或一天的调解会</translation>
    </message>
    <message>
        <source>Sessions today and tomorrow</source>
        <translation>今明两天的调解会</translation>
    </message>
    <message>
        <source>{today} today, {tomorrow} tomorrow</source>
        <translation>今天 {today} 次，明天 {tomorrow} 次</translation>
    </message>
</context>
<context>
    <name>RoomsDialog</name>
    <message>
        <source>&amp;Capacity:</source>
        <translation>容纳人数(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Where:</source>
        <translation>位置(&amp;W)：</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Mediation rooms</source>
        <translation>调解室设置</translation>
    </message>
    <message>
        <source>New room</source>
        <translation>新增调解室</translation>
    </message>
    <message>
        <source>Room “{name}” saved.</source>
        <translation>调解室“{name}”已保存。</translation>
    </message>
    <message>
        <source>Rooms of {center}</source>
        <translation>{center}的调解室</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>RoomsModel</name>
    <message>
        <source>Capacity</source>
        <translation>容纳人数</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>调解室</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <source>&amp;Invited:</source>
        <translation>受邀参加人(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Mediators:</source>
        <translation>调解员(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Parties:</source>
        <translation>当事人(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Room:</source>
        <translation>调解室(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation>时间(&amp;W)：</translation>
    </message>
    <message>
        <source>Besides the identity document; one item a line</source>
        <translation>身份证件之外需携带的材料，每行一项</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Case:</source>
        <translation>案件：</translation>
    </message>
    <message>
        <source>Change the session</source>
        <translation>修改调解会</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>End day</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Enter the day of the session.</source>
        <translation>请填写调解会的日期。</translation>
    </message>
    <message>
        <source>Enter the start and the end time.</source>
        <translation>请填写开始时间和结束时间。</translation>
    </message>
    <message>
        <source>Line {n} of the invited participants is not "name, role".</source>
        <translation>受邀参加人第 {n} 行不是“姓名，身份”的格式。</translation>
    </message>
    <message>
        <source>Mediators (Space ticks)</source>
        <translation>调解员（空格键勾选）</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>One a line: name, role (e.g. 王福，村干部)</source>
        <translation>每行一人：姓名，身份（如 王福，村干部）</translation>
    </message>
    <message>
        <source>Only for a session that goes on past midnight</source>
        <translation>仅在调解会持续到次日时填写</translation>
    </message>
    <message>
        <source>Parties (Space ticks)</source>
        <translation>当事人（空格键勾选）</translation>
    </message>
    <message>
        <source>Please check</source>
        <translation>请确认</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>调解室</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save (Ctrl+Return)</source>
        <translation>保存（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Schedule a mediation session</source>
        <translation>安排调解会</translation>
    </message>
    <message>
        <source>Schedule anyway</source>
        <translation>仍然安排</translation>
    </message>
    <message>
        <source>Schedule the session all the same?</source>
        <translation>仍要安排这次调解会吗？</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>To &amp;bring:</source>
        <translation>需携带材料(&amp;B)：</translation>
    </message>
    <message>
        <source>same day</source>
        <translation>当天</translation>
    </message>
    <message>
        <source>{name} ({n} people)</source>
        <translation>{name}（{n} 人）</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <source>Invited</source>
        <translation>受邀参加人</translation>
    </message>
    <message>
        <source>Mediators</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>调解室</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
</context>
<context>
    <name>SessionsTab</name>
    <message>
        <source>A new mediation record with the session's time, place and participants filled</source>
        <translation>新建调解记录，自动填入本次调解会的时间、地点和参加人</translation>
    </message>
    <message>
        <source>Cancel the session</source>
        <translation>取消调解会</translation>
    </message>
    <message>
        <source>Cancel the session of {when} in {room}? The parties must be told.</source>
        <translation>取消 {when} 在{room}的调解会吗？请另行通知当事人。</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Enter why the session is cancelled.</source>
        <translation>请填写取消调解会的原因。</translation>
    </message>
    <message>
        <source>No mediation room is set up yet: the head or the administrator adds them in the sessions calendar (Rooms…).</source>
        <translation>尚未设置调解室：请中心主任或系统管理员在调解会日历的“调解室…”中添加。</translation>
    </message>
    <message>
        <source>No mediation session scheduled yet.</source>
        <translation>尚未安排调解会。</translation>
    </message>
    <message>
        <source>Notices of the session of {when}</source>
        <translation>{when}调解会的调解通知书</translation>
    </message>
    <message>
        <source>Print notices…</source>
        <translation>打印调解通知书…</translation>
    </message>
    <message>
        <source>Schedule a mediation session (Ctrl+Shift+S)</source>
        <translation>安排调解会（Ctrl+Shift+S）</translation>
    </message>
    <message>
        <source>Schedule a session…</source>
        <translation>安排调解会…</translation>
    </message>
    <message>
        <source>Session saved: {when}, {room}.</source>
        <translation>调解会已保存：{when}，{room}。</translation>
    </message>
    <message>
        <source>Start its record</source>
        <translation>开始调解记录</translation>
    </message>
    <message>
        <source>The session was cancelled.</source>
        <translation>调解会已取消。</translation>
    </message>
    <message>
        <source>The 调解通知书 of every party summoned, one page each</source>
        <translation>每位受通知当事人的调解通知书，各占一页</translation>
    </message>
    <message>
        <source>Why the session is cancelled</source>
        <translation>取消调解会的原因</translation>
    </message>
</context>
<context>
    <name>CardsModel</name>
    <message>
        <source>Addressed to</source>
        <translation>督办对象</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>督办牌</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <source>Given</source>
        <translation>给予日期</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>案件名称</translation>
    </message>
</context>
<context>
    <name>CardsPanel</name>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Approve {days}{unit} more for {stage} of case {number}? The due date moves and cannot be moved back.</source>
        <translation>批准案件 {number} 的{stage}延长 {days}{unit}？期限将顺延，批准后不能撤回。</translation>
    </message>
    <message>
        <source>Approved: case {number} is now due {due}.</source>
        <translation>已批准：案件 {number} 的期限改为 {due}。</translation>
    </message>
    <message>
        <source>Cards</source>
        <translation>督办牌</translation>
    </message>
    <message>
        <source>Cards ({n})</source>
        <translation>督办牌（{n}）</translation>
    </message>
    <message>
        <source>Extension requests</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <source>Extension requests ({n})</source>
        <translation>延期申请（{n}）</translation>
    </message>
    <message>
        <source>Reason (required to refuse)</source>
        <translation>审批意见（不予批准时必填理由）</translation>
    </message>
    <message>
        <source>Refuse</source>
        <translation>不予批准</translation>
    </message>
    <message>
        <source>Refuse the extension of case {number}? The refusal stays in the record.</source>
        <translation>不予批准案件 {number} 的延期申请？审批结果将记入案件记录。</translation>
    </message>
    <message>
        <source>Refused: case {number} keeps its due date.</source>
        <translation>已不予批准：案件 {number} 的期限不变。</translation>
    </message>
    <message>
        <source>Type the reason for refusing in the box beside the buttons.</source>
        <translation>请在按钮左侧的审批意见框中填写不予批准的理由。</translation>
    </message>
    <message>
        <source>Yellow and red cards</source>
        <translation>黄牌红牌督办</translation>
    </message>
    <message>
        <source>Yellow and red cards of the last 30 days: more than {n}, the newest {n} listed</source>
        <translation>黄牌红牌督办：近 30 天超过 {n} 张，列出最新的 {n} 张</translation>
    </message>
    <message>
        <source>Cards ({n}+)</source>
        <translation>督办牌（{n}+）</translation>
    </message>
    <message>
        <source>Extension requests ({n}+)</source>
        <translation>延期申请（{n}+）</translation>
    </message>
    <message>
        <source>Yellow and red cards: {yellow} yellow, {red} red in the last 30 days</source>
        <translation>黄牌红牌督办：近 30 天黄牌 {yellow} 张、红牌 {red} 张</translation>
    </message>
</context>
<context>
    <name>CardsSection</name>
    <message>
        <source>Department scores</source>
        <translation>部门月度考核</translation>
    </message>
    <message>
        <source>Stage limits</source>
        <translation>各环节办理期限</translation>
    </message>
</context>
<context>
    <name>LimitsPanel</name>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Choose a department or a dispute type: the row for all cases is already in the table.</source>
        <translation>请选择进驻部门或纠纷类型：适用于全部案件的期限已在表中。</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>删除规则</translation>
    </message>
    <message>
        <source>Saved; {n} open cases were measured again.</source>
        <translation>已保存，已按新期限重新计算 {n} 件在办案件。</translation>
    </message>
    <message>
        <source>Select a rule for a department or a dispute type to remove it.</source>
        <translation>请先选中一条针对进驻部门或纠纷类型的规则再删除。</translation>
    </message>
    <message>
        <source>The most specific rule wins: department and type, then department, then type, then all cases. Select a cell and type to change it; Enter saves.</source>
        <translation>最具体的规则优先：部门加纠纷类型 &gt; 部门 &gt; 纠纷类型 &gt; 全部案件。选中单元格直接输入即可修改，按回车保存。</translation>
    </message>
    <message>
        <source>all departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>all types</source>
        <translation>全部类型</translation>
    </message>
</context>
<context>
    <name>RequestsModel</name>
    <message>
        <source>Asked</source>
        <translation>申请日期</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Due now</source>
        <translation>现期限</translation>
    </message>
    <message>
        <source>From</source>
        <translation>申请部门</translation>
    </message>
    <message>
        <source>More days</source>
        <translation>延长</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>ScoreCasesModel</name>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>案件名称</translation>
    </message>
</context>
<context>
    <name>ScoresModel</name>
    <message>
        <source>Cases</source>
        <translation>承办案件</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>进驻部门</translation>
    </message>
    <message>
        <source>Extensions approved</source>
        <translation>延期批准</translation>
    </message>
    <message>
        <source>Extensions asked</source>
        <translation>延期申请</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>按期办理</translation>
    </message>
    <message>
        <source>On-time rate</source>
        <translation>按期率</translation>
    </message>
    <message>
        <source>Red cards</source>
        <translation>红牌</translation>
    </message>
    <message>
        <source>Yellow cards</source>
        <translation>黄牌</translation>
    </message>
</context>
<context>
    <name>ScoresPanel</name>
    <message>
        <source>Counted over the cases you may see: your center's, those it handles and those crossed with it (the county head's figures count every case). A department with none of them this month shows 0.</source>
        <translation>只计您可查看的案件：本中心的案件、由本中心办理的案件和与本中心有上下级流转的案件（县级中心主任的数字计全部案件）。本月没有这类案件的部门，各项为 0。</translation>
    </message>
    <message>
        <source>Click a figure to list its cases.</source>
        <translation>点击数字，列出其中的案件。</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>{department}, {month}: {figure} — {n} cases</source>
        <translation>{department}，{month}：{figure}，共 {n} 件</translation>
    </message>
</context>
<context>
    <name>SubsidyRulesPanel</name>
    <message>
        <source>&amp;Version:</source>
        <translation>版本(&amp;V)：</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>起始月份</translation>
    </message>
    <message>
        <source>Effective &amp;from:</source>
        <translation>起始月份(&amp;F)：</translation>
    </message>
    <message>
        <source>e.g. the county's document number</source>
        <translation>如县司法局文件文号</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>备注(&amp;N)：</translation>
    </message>
    <message>
        <source>Amount per case (yuan)</source>
        <translation>每案补贴金额（元）</translation>
    </message>
    <message>
        <source>What makes a case difficult or major (any one condition)</source>
        <translation>疑难复杂、重大案件的认定条件（满足其一即可）</translation>
    </message>
    <message>
        <source>What is paid</source>
        <translation>补贴范围</translation>
    </message>
    <message>
        <source>Caps and sharing</source>
        <translation>上限与分配</translation>
    </message>
    <message>
        <source>Shared equally</source>
        <translation>平均分配</translation>
    </message>
    <message>
        <source>Lead takes a percentage</source>
        <translation>主办按比例，其余协办平分</translation>
    </message>
    <message>
        <source>New version…</source>
        <translation>新建版本…</translation>
    </message>
    <message>
        <source>People involved at least</source>
        <translation>涉及人数不少于</translation>
    </message>
    <message>
        <source>Amount involved at least (yuan)</source>
        <translation>涉及金额不少于（元）</translation>
    </message>
    <message>
        <source>Mediation sessions at least</source>
        <translation>调解次数不少于</translation>
    </message>
    <message>
        <source>Dispute types (separated by 、)</source>
        <translation>纠纷类型（以“、”分隔）</translation>
    </message>
    <message>
        <source>Group dispute</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <source>May turn criminal</source>
        <translation>可能民转刑</translation>
    </message>
    <message>
        <source>Outcomes:</source>
        <translation>调解结果：</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>调解不成</translation>
    </message>
    <message>
        <source>Mediators:</source>
        <translation>调解员：</translation>
    </message>
    <message>
        <source>Volunteer mediators</source>
        <translation>义务调解员</translation>
    </message>
    <message>
        <source>Stationed staff</source>
        <translation>常驻人员</translation>
    </message>
    <message>
        <source>Only complete files (dossier checklist)</source>
        <translation>卷宗完整规范（必备材料齐全）</translation>
    </message>
    <message>
        <source>Only after a return visit</source>
        <translation>须已回访</translation>
    </message>
    <message>
        <source>Repeat mediation of a dispute counts once</source>
        <translation>同一纠纷重复调解（重复来访）只计一次</translation>
    </message>
    <message>
        <source>Per mediator a month (yuan):</source>
        <translation>每人每月上限（元）：</translation>
    </message>
    <message>
        <source>Cases per mediator a month:</source>
        <translation>每人每月案件数上限：</translation>
    </message>
    <message>
        <source>Per case (yuan):</source>
        <translation>每案上限（元）：</translation>
    </message>
    <message>
        <source>Several mediators:</source>
        <translation>多名调解员：</translation>
    </message>
    <message>
        <source>Lead's percentage:</source>
        <translation>主办比例（%）：</translation>
    </message>
    <message>
        <source>&amp;Save rules</source>
        <translation>保存规则(&amp;S)</translation>
    </message>
    <message>
        <source> (used by issued months)</source>
        <translation>（已用于出具的结算）</translation>
    </message>
    <message>
        <source>Saved: the rules from {month}.</source>
        <translation>已保存：{month} 起适用的规则。</translation>
    </message>
    <message>
        <source>From {month}</source>
        <translation>{month} 起</translation>
    </message>
</context>
<context>
    <name>StatementRowsModel</name>
    <message>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件名称</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>档次</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>认定依据及说明</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Not paid because</source>
        <translation>不予补贴原因</translation>
    </message>
</context>
<context>
    <name>SubsidyStatementPanel</name>
    <message>
        <source>Computing the month…</source>
        <translation>正在计算本月结算…</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export the subsidy statement</source>
        <translation>导出以案定补结算</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export &amp;XLSX…</source>
        <translation>导出 XLSX(&amp;X)…</translation>
    </message>
    <message>
        <source>Total {amount} yuan.</source>
        <translation>合计 {amount} 元。</translation>
    </message>
    <message>
        <source>Issue the month's statement</source>
        <translation>出具本月结算</translation>
    </message>
    <message>
        <source>Issue and export</source>
        <translation>出具并导出</translation>
    </message>
    <message>
        <source>Issued on {when} by {who} under the rules from {rules}.</source>
        <translation>已于 {when} 由{who}出具，适用 {rules} 起的规则。</translation>
    </message>
    <message>
        <source>Saved as {path}</source>
        <translation>已保存为 {path}</translation>
    </message>
    <message>
        <source>Draft, not issued: computed now under the rules from {rules}.</source>
        <translation>草稿，尚未出具：按 {rules} 起的规则即时计算。</translation>
    </message>
    <message>
        <source>The statement of {month} is issued with this export: it is kept as it reads now and prints the same ever after, whatever changes later.</source>
        <translation>本次导出将出具 {month} 的结算：按现在的内容保存，此后无论案件如何变动，打印结果都不再改变。</translation>
    </message>
</context>
<context>
    <name>SubsidiesSection</name>
    <message>
        <source>Statements</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
</context>
<context>
    <name>CenterForm</name>
    <message>
        <source>e.g. 梁家墩镇综治中心</source>
        <translation>如：梁家墩镇综治中心</translation>
    </message>
    <message>
        <source>e.g. 甘州梁家墩调</source>
        <translation>如：甘州梁家墩调</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Parent center</source>
        <translation>上级中心</translation>
    </message>
    <message>
        <source>Case-number prefix</source>
        <translation>案号前缀</translation>
    </message>
    <message>
        <source>Its cases are numbered （2026）{prefix}字第0001号.</source>
        <translation>本中心的案号形如（2026）{prefix}字第0001号。</translation>
    </message>
    <message>
        <source>None (the county center)</source>
        <translation>无（县级中心）</translation>
    </message>
    <message>
        <source>New center</source>
        <translation>新建中心</translation>
    </message>
    <message>
        <source>{name} (deactivated)</source>
        <translation>{name}（已停用）</translation>
    </message>
</context>
<context>
    <name>CentersModel</name>
    <message>
        <source>Center</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>上级中心</translation>
    </message>
    <message>
        <source>Case-number prefix</source>
        <translation>案号前缀</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>CenterLevel</name>
    <message>
        <source>County</source>
        <translation>县级</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇级</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村级</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>Feedback contacts of the public page</source>
        <translation>公示网页的意见反馈方式</translation>
    </message>
    <message>
        <source>e.g. gzmtzx@example.cn</source>
        <translation>如 gzmtzx@example.cn</translation>
    </message>
    <message>
        <source>Mailbox:</source>
        <translation>电子邮箱：</translation>
    </message>
</context>
<context>
    <name>CaseCrossingsBox</name>
    <message>
        <source>Report up…</source>
        <translation>上报…</translation>
    </message>
    <message>
        <source>Assign down…</source>
        <translation>交办…</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>回退…</translation>
    </message>
    <message>
        <source>Co-handle…</source>
        <translation>联办…</translation>
    </message>
    <message>
        <source>Feedback…</source>
        <translation>反馈…</translation>
    </message>
    <message>
        <source>Between centers</source>
        <translation>上下级流转</translation>
    </message>
    <message>
        <source>Export crossing packet…</source>
        <translation>导出流转包…</translation>
    </message>
    <message>
        <source>Write the chosen step (taken by your center) to a file for a center that works offline</source>
        <translation>把选中的一步流转（本中心发出的）写成文件，交给离线工作的上级或下级中心</translation>
    </message>
</context>
<context>
    <name>CrossingRowsModel</name>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>From → to</source>
        <translation>流转方向</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>{meaning}, {days} working days left</source>
        <translation>{meaning}，剩余 {days} 个工作日</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>收到</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>Answered {when}</source>
        <translation>已于 {when} 答复</translation>
    </message>
</context>
<context>
    <name>CrossingsPanel</name>
    <message>
        <source>Between centers</source>
        <translation>上下级流转</translation>
    </message>
    <message>
        <source>Between centers: {incoming} incoming, {outgoing} outgoing awaiting an answer; {late} overdue</source>
        <translation>上下级流转：待答复收到 {incoming} 件、发出 {outgoing} 件；超期 {late} 件</translation>
    </message>
    <message>
        <source>Export crossing packet…</source>
        <translation>导出流转包…</translation>
    </message>
    <message>
        <source>Import crossing packet…</source>
        <translation>导入流转包…</translation>
    </message>
    <message>
        <source>Record a step sent on a file by the center above or below</source>
        <translation>导入上级或下级中心以文件送来的流转步骤</translation>
    </message>
    <message>
        <source>Write the chosen step (taken by your center) to a file for a center that works offline</source>
        <translation>把选中的一步流转（本中心发出的）写成文件，交给离线工作的上级或下级中心</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>Report up</source>
        <translation>上报</translation>
    </message>
    <message>
        <source>Assign down</source>
        <translation>交办</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>回退</translation>
    </message>
    <message>
        <source>Co-handle</source>
        <translation>联办</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>上报至：</translation>
    </message>
    <message>
        <source>Assign to:</source>
        <translation>交办给：</translation>
    </message>
    <message>
        <source>Stationed department: {name}</source>
        <translation>驻点部门：{name}</translation>
    </message>
    <message>
        <source>Deadline:</source>
        <translation>办理期限：</translation>
    </message>
    <message>
        <source>Co-handling centers:</source>
        <translation>联办中心：</translation>
    </message>
    <message>
        <source>{kind} from {center}: {reason}</source>
        <translation>{center}{kind}：{reason}</translation>
    </message>
    <message>
        <source>Answers:</source>
        <translation>答复：</translation>
    </message>
    <message>
        <source>Materials sent:</source>
        <translation>随附材料：</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>理由：</translation>
    </message>
    <message>
        <source>Feedback:</source>
        <translation>反馈内容：</translation>
    </message>
    <message>
        <source>Report this case up to {center}? It will handle the case; your center will only read it until it is returned.</source>
        <translation>将本案上报至{center}？上报后由其承办，本中心只能查看，直至回退。</translation>
    </message>
    <message>
        <source>Return this case? Your center will no longer handle it.</source>
        <translation>回退本案？回退后本中心不再承办。</translation>
    </message>
</context>
<context>
    <name>HotlineBox</name>
    <message>
        <source>12345 work order</source>
        <translation>12345 热线工单</translation>
    </message>
    <message>
        <source>Sign for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Record that the center took this work order, now</source>
        <translation>记录本中心现在签收该工单</translation>
    </message>
    <message>
        <source>How the citizen was reached (optional)</source>
        <translation>联系情况（可不填）</translation>
    </message>
    <message>
        <source>First contact</source>
        <translation>首次联系</translation>
    </message>
    <message>
        <source>Record the first contact with the citizen, now</source>
        <translation>记录现在已首次联系来电群众</translation>
    </message>
    <message>
        <source>consultation</source>
        <translation>咨询类</translation>
    </message>
    <message>
        <source>request</source>
        <translation>诉求类</translation>
    </message>
    <message>
        <source>Order {number} · hotline type {code} · {kind} · 2·20 limits:</source>
        <translation>工单 {number} · 热线类型 {code} · {kind} · “2·20”时限：</translation>
    </message>
    <message>
        <source>Signed for</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>on time</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>late</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>{what}: {time} ({verdict}, due {due})</source>
        <translation>{what}：{time}（{verdict}，时限 {due}）</translation>
    </message>
    <message>
        <source>{what}: not done, overdue (due {due})</source>
        <translation>{what}：未完成，已超时（时限 {due}）</translation>
    </message>
    <message>
        <source>{what}: not done yet (due {due})</source>
        <translation>{what}：未完成（时限 {due}）</translation>
    </message>
</context>
<context>
    <name>LevelsModel</name>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Screened</source>
        <translation>排查</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>调处</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>People: under 50</source>
        <translation>涉及人数：50人以下</translation>
    </message>
    <message>
        <source>People: 50–100</source>
        <translation>涉及人数：50–100人</translation>
    </message>
    <message>
        <source>People: 101–500</source>
        <translation>涉及人数：101–500人</translation>
    </message>
    <message>
        <source>People: over 500</source>
        <translation>涉及人数：500人以上</translation>
    </message>
    <message>
        <source>Major</source>
        <translation>重大</translation>
    </message>
    <message>
        <source>Criminal cases prevented: cases</source>
        <translation>防止民转刑：件</translation>
    </message>
    <message>
        <source>Criminal cases prevented: people</source>
        <translation>防止民转刑：人</translation>
    </message>
    <message>
        <source>Group petitions prevented: cases</source>
        <translation>防止群体性上访：件</translation>
    </message>
    <message>
        <source>Group petitions prevented: people</source>
        <translation>防止群体性上访：人</translation>
    </message>
</context>
<context>
    <name>LevelsView</name>
    <message>
        <source>{year} month {month}</source>
        <translation>{year}年{month}月</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出PDF</translation>
    </message>
    <message>
        <source>Export XLSX</source>
        <translation>导出XLSX</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Double-click a figure, or press Enter on it, to list the cases it counts. Hover over a column for its formula.</source>
        <translation>双击某个数字（或选中后按回车键）列出它所统计的案件；鼠标停在列标题或数字上可查看计算口径。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>{center} — {month}: this month {period}; this year {year}</source>
        <translation>{center} — {month}：本月 {period}；本年累计 {year}</translation>
    </message>
    <message>
        <source>{unit}, {span} {month}: {figure}</source>
        <translation>{unit}，{month}{span}：{figure}</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Save the table by level</source>
        <translation>保存矛盾纠纷排查调处情况表</translation>
    </message>
    <message>
        <source>The file must end in .pdf or .xlsx.</source>
        <translation>文件名应以 .pdf 或 .xlsx 结尾。</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
    <message>
        <source>Writing the file…</source>
        <translation>正在生成文件…</translation>
    </message>
</context>
<context>
    <name>CitizenWindow</name>
    <message>
        <source>Counter service rating</source>
        <translation>窗口服务评价</translation>
    </message>
    <message>
        <source>Your clerk: {name}</source>
        <translation>为您服务的工作人员：{name}</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎您</translation>
    </message>
    <message>
        <source>Please tell the clerk what you need.</source>
        <translation>请向工作人员说明您的诉求。</translation>
    </message>
    <message>
        <source>Your matter is being registered</source>
        <translation>正在为您登记</translation>
    </message>
    <message>
        <source>How satisfied are you with our service?</source>
        <translation>请您对本次服务进行评价</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <source>Please tick what was not good (one or more):</source>
        <translation>请选择不满意的原因（可多选）：</translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation>感谢您的评价！</translation>
    </message>
    <message>
        <source>Registered: {number} {title}</source>
        <translation>已登记：{number} {title}</translation>
    </message>
    <message>
        <source>You chose: {level}</source>
        <translation>您的评价：{level}</translation>
    </message>
    <message>
        <source>Please tick at least one reason.</source>
        <translation>请至少选择一项不满意的原因。</translation>
    </message>
</context>
<context>
    <name>RatingDialog</name>
    <message>
        <source>Record a rating</source>
        <translation>录入评价</translation>
    </message>
    <message>
        <source>Case:</source>
        <translation>案件：</translation>
    </message>
    <message>
        <source>Given:</source>
        <translation>评价方式：</translation>
    </message>
    <message>
        <source>Rating:</source>
        <translation>评价：</translation>
    </message>
    <message>
        <source>Reasons (for a bad rating):</source>
        <translation>不满意原因（差评时必选）：</translation>
    </message>
    <message>
        <source>Comment:</source>
        <translation>补充说明：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>BriefingGrades</name>
    <message>
        <source>Case</source>
        <translation>案件名称</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>所属中心</translation>
    </message>
    <message>
        <source>Head's grade</source>
        <translation>调整等级</translation>
    </message>
    <message>
        <source>Listed for</source>
        <translation>列入依据</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Proposed grade</source>
        <translation>建议等级</translation>
    </message>
    <message>
        <source>Reason (set by)</source>
        <translation>调整理由（调整人）</translation>
    </message>
</context>
<context>
    <name>BriefingOverview</name>
    <message>
        <source>Change</source>
        <translation>增减</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
</context>
<context>
    <name>BriefingRepeats</name>
    <message>
        <source>Case numbers</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
</context>
<context>
    <name>BriefingSpots</name>
    <message>
        <source>Change</source>
        <translation>增减</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Place or type</source>
        <translation>地点或类型</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
</context>
<context>
    <name>BriefingView</name>
    <message>
        <source>&amp;Adjust grade…</source>
        <translation>调整分级(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Open the PDF</source>
        <translation>打开预览(&amp;O)</translation>
    </message>
    <message>
        <source>12345 orders</source>
        <translation>12345工单</translation>
    </message>
    <message>
        <source>12345 {rate}</source>
        <translation>12345 {rate}</translation>
    </message>
    <message>
        <source>Carded this month (yellow or red card)</source>
        <translation>本月亮牌（黄牌、红牌）</translation>
    </message>
    <message>
        <source>Cases received</source>
        <translation>收案</translation>
    </message>
    <message>
        <source>Cases received {by}: this month and last (the {n} largest)</source>
        <translation>收案{by}：本月与上月（前{n}位）</translation>
    </message>
    <message>
        <source>Counting the briefing of {month}…</source>
        <translation>正在统计 {month} 的风险研判…</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>Not counted</source>
        <translation>未能统计</translation>
    </message>
    <message>
        <source>Hot spots: {state}</source>
        <translation>热点分布：{state}</translation>
    </message>
    <message>
        <source>Repeat parties: {state}</source>
        <translation>重复当事人：{state}</translation>
    </message>
    <message>
        <source>Repeat places: {state}</source>
        <translation>重复地点：{state}</translation>
    </message>
    <message>
        <source>Risk grades: {state}</source>
        <translation>风险分级清单：{state}</translation>
    </message>
    <message>
        <source> (the first {shown} listed; the rest: {state})</source>
        <translation>（已列出前 {shown} 件；其余：{state}）</translation>
    </message>
    <message>
        <source>Double-click a figure, or press Enter on it, to list the cases it counts.</source>
        <translation>双击某个数字（或选中后按回车键）列出它所统计的案件。</translation>
    </message>
    <message>
        <source>Double-click or press Enter to list these cases</source>
        <translation>双击或按回车键列出这些案件</translation>
    </message>
    <message>
        <source>Enter or a double-click opens the case. Rules: {rules}</source>
        <translation>按回车键或双击打开案件。分级规则：{rules}</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export the risk briefing</source>
        <translation>导出风险研判报告</translation>
    </message>
    <message>
        <source>Grade of {number} set: {grade}</source>
        <translation>已调整 {number} 的风险等级：{grade}</translation>
    </message>
    <message>
        <source>Group disputes, {band}</source>
        <translation>群体性纠纷（{band}）</translation>
    </message>
    <message>
        <source>Hot spots</source>
        <translation>热点分布</translation>
    </message>
    <message>
        <source>Hot spots &amp;by:</source>
        <translation>热点(&amp;B)：</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>May turn criminal (received this month or still open)</source>
        <translation>可能民转刑（本月收案或仍在办理）</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>研判月</translation>
    </message>
    <message>
        <source>Next ›</source>
        <translation>下一月 ›</translation>
    </message>
    <message>
        <source>Overdue on {day}</source>
        <translation>超期未办结（截至 {day}）</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>总体情况</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Repeat parties and places</source>
        <translation>重复当事人与地点</translation>
    </message>
    <message>
        <source>Repeat parties: the same party in 2 or more cases received within {days} days ({window}): {n}</source>
        <translation>重复当事人：{days}日内（{window}）收案2件以上的同一当事人，共 {n} 人</translation>
    </message>
    <message>
        <source>Repeat places: the same address in 2 or more cases received within {days} days ({window}): {n}</source>
        <translation>重复地点：{days}日内（{window}）收案2件以上的同一地点，共 {n} 处</translation>
    </message>
    <message>
        <source>Risk briefing {month}: {item}, {column}</source>
        <translation>风险研判 {month}：{item}，{column}</translation>
    </message>
    <message>
        <source>Risk briefing {month}: {spot}, {span}</source>
        <translation>风险研判 {month}：{spot}，{span}</translation>
    </message>
    <message>
        <source>Risk grade {grade}</source>
        <translation>风险等级 {grade}</translation>
    </message>
    <message>
        <source>Risk grades</source>
        <translation>风险分级清单</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
    <message>
        <source>Set the meeting's grade of the selected case, with the reason</source>
        <translation>为选中的案件调整风险等级（须填写理由）</translation>
    </message>
    <message>
        <source>Show the PDF just written, to read or print it</source>
        <translation>预览刚导出的PDF，可阅读或打印</translation>
    </message>
    <message>
        <source>The month after (Alt+Right)</source>
        <translation>下一月（Alt+→）</translation>
    </message>
    <message>
        <source>The month before (Alt+Left)</source>
        <translation>上一月（Alt+←）</translation>
    </message>
    <message>
        <source>The month the meeting reviews, e.g. 2026-11; Alt+Left and Alt+Right step a month</source>
        <translation>研判会商的月份，如 2026-11；Alt+← 与 Alt+→ 逐月切换</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Write the briefing of the month shown as a PDF for the meeting</source>
        <translation>将所示月份的风险研判报告导出为PDF，供会商使用</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在生成PDF…</translation>
    </message>
    <message>
        <source>last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>{center} — {month}: received {this} (last month {last}); repeats counted {start} to {end}; overdue as of {today}</source>
        <translation>{center} — {month}：收案 {this} 件（上月 {last} 件）；重复统计期 {start} 至 {end}；超期截至 {today}</translation>
    </message>
    <message>
        <source>{n} cases listed: {grades}; adjusted by the head: {adjusted}</source>
        <translation>列入研判 {n} 件：{grades}；主任调整 {adjusted} 件</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>‹ Previous</source>
        <translation>‹ 上一月</translation>
    </message>
    <message>
        <source>&amp;Cancel export</source>
        <translation>取消导出(&amp;C)</translation>
    </message>
    <message>
        <source>Export cancelled: no file was written.</source>
        <translation>已取消导出，未写入文件。</translation>
    </message>
    <message>
        <source>Stop the export: the PDF being built is not written</source>
        <translation>停止导出：正在生成的PDF不写入文件</translation>
    </message>
</context>
<context>
    <name>GradeDialog</name>
    <message>
        <source>&amp;Grade:</source>
        <translation>调整后等级(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>调整理由(&amp;R)：</translation>
    </message>
    <message>
        <source>Adjust the risk grade</source>
        <translation>调整风险等级</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Choose a grade…</source>
        <translation>请选择等级…</translation>
    </message>
    <message>
        <source>Grade: choose the grade the meeting sets.</source>
        <translation>调整后等级：请选择会商确定的等级。</translation>
    </message>
    <message>
        <source>Reason: a reason is required to change a grade.</source>
        <translation>调整理由：调整风险等级必须填写理由。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Why the meeting grades the case so (required, at most 500 characters)</source>
        <translation>会商调整等级的理由（必填，不超过500字）</translation>
    </message>
    <message>
        <source>{number} {title}
Proposed: {grade} ({reasons})</source>
        <translation>{number} {title}
建议等级：{grade}（{reasons}）</translation>
    </message>
</context>
<context>
    <name>CrossingPackets</name>
    <message>
        <source>Choose a crossing packet</source>
        <translation>选择流转材料包</translation>
    </message>
    <message>
        <source>Crossing packet</source>
        <translation>流转材料包</translation>
    </message>
    <message>
        <source>Crossing packet (*.zip)</source>
        <translation>流转材料包 (*.zip)</translation>
    </message>
    <message>
        <source>Crossing packet imported</source>
        <translation>流转材料包已导入</translation>
    </message>
    <message>
        <source>Crossing packet saved</source>
        <translation>流转材料包已导出</translation>
    </message>
    <message>
        <source>Save crossing packet</source>
        <translation>导出流转材料包</translation>
    </message>
    <message>
        <source>The packet of {kind} of case {number} was written to:
{path}

{materials} material(s), {size} bytes. Carry this file to the other center; it imports it with “Import crossing packet…”.</source>
        <translation>案件 {number} {kind}的流转材料包已写入：
{path}

随附材料 {materials} 份，{size} 字节。请把该文件交给对方中心，由其用“导入流转包…”导入。</translation>
    </message>
</context>
<context>
    <name>CenterProfileDialog</name>
    <message>
        <source>{center} on its papers</source>
        <translation>{center}：文书上的信息</translation>
    </message>
    <message>
        <source>The session notices, intake slips, agreements and other papers of the cases this center works on print these. Left blank, the address and phone are a line to fill in by hand, and the committee is named after the center: {committee}.</source>
        <translation>本中心办理的案件，其调解通知书、受理回执、调解协议书等文书印这些信息。地址、电话留空时，文书上留一条线手写；人民调解委员会名称留空时按中心名称：{committee}。</translation>
    </message>
    <message>
        <source>Mediation committee:</source>
        <translation>人民调解委员会：</translation>
    </message>
</context>
<context>
    <name>CenterContactsDialog</name>
    <message>
        <source>e.g. 甘州区梁家墩镇政府院内</source>
        <translation>如 甘州区梁家墩镇政府院内</translation>
    </message>
    <message>
        <source>e.g. 0936-8561234</source>
        <translation>如 0936-8561234</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>联系电话：</translation>
    </message>
</context>
</TS>
