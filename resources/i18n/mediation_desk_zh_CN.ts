<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Action</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="+135" />
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
    <name>AssignPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/routing_panels.py" line="+272" />
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
        <location filename="../../mediation_desk/ui/scan_models.py" line="+39" />
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
    <name>AwaitingModel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk_panel.py" line="+175" />
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
    <name>CalendarPanel</name>
    <message>
        <location filename="../../mediation_desk/ui/calendar_panel.py" line="+244" />
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
        <location line="+55" />
        <source>{year}: the official schedule is built in; days entered here override it.</source>
        <translation>{year} 年：已内置国务院公布的安排；此处录入的日期优先。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{year}: the center's table holds this year's schedule ({count} days).</source>
        <translation>{year} 年：按本中心录入的安排（共 {count} 天）。</translation>
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
</context>
<context>
    <name>CaseDetailView</name>
    <message>
        <location filename="../../mediation_desk/ui/case_detail.py" line="+294" />
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
        <location line="+80" />
        <source>Risk: {level}</source>
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
        <location line="+74" />
        <source>Waiting for the feedback of “{body}”: record it below first.</source>
        <translation>尚未收到“{body}”的反馈：请先在下方登记反馈。</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../mediation_desk/ui/case_list_model.py" line="+162" />
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
        <location filename="../../mediation_desk/ui/case_list_view.py" line="+80" />
        <source>Received from</source>
        <extracomment>Double-click or Enter on a row: the case id.</extracomment>
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
        <location line="+8" />
        <location line="+112" />
        <source>All dispute types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="-97" />
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
        <location line="+62" />
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
    <message numerus="yes">
        <location line="+93" />
        <source>%n case(s)</source>
        <translation>
            <numerusform>共 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseState</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="-111" />
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
    <name>ClockLine</name>
    <message>
        <location filename="../../mediation_desk/ui/case_clock.py" line="+39" />
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
</context>
<context>
    <name>ClockMeaning</name>
    <message>
        <location filename="../../mediation_desk/ui/case_list_model.py" line="-199" />
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
        <location filename="../../mediation_desk/ui/i18n.py" line="+3" />
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
        <location filename="../../mediation_desk/ui/scan_models.py" line="+7" />
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
    <name>DepartmentForm</name>
    <message>
        <location filename="../../mediation_desk/ui/org_forms.py" line="+372" />
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
        <location filename="../../mediation_desk/ui/org_models.py" line="+168" />
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
        <location filename="../../mediation_desk/ui/desk_panel.py" line="+88" />
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
        <location line="+92" />
        <source>Due soon and overdue: {red} overdue, {yellow} due soon</source>
        <translation>到期提醒：超期 {red} 件，临期 {yellow} 件</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{red} overdue, {yellow} due soon</source>
        <translation>超期 {red} 件，临期 {yellow} 件</translation>
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
</context>
<context>
    <name>DiversionBody</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="+3" />
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
        <location filename="../../mediation_desk/ui/case_oversight.py" line="+297" />
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
        <location filename="../../mediation_desk/ui/routing_panels.py" line="+72" />
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
        <location filename="../../mediation_desk/ui/scan_models.py" line="+222" />
        <source>From: {origin}</source>
        <extracomment>Words in a file name that say what a document is (a phone photo called "身份证正面.jpg"). Identifies the document while the form is open (stable across edits). The party it belongs to (a ``PartyForm`` of the form), or None. An imported PDF, attached as it is (``document.pages`` is then empty). Where it came from: the scanner, or the file's name. The whole :class:`FormDocument`.</extracomment>
        <translation>来源：{origin}</translation>
    </message>
    <message numerus="yes">
        <location line="+11" />
        <source>PDF, %n page(s)</source>
        <translation>
            <numerusform>PDF，%n 页</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DocumentsBox</name>
    <message>
        <location filename="../../mediation_desk/ui/scan_documents.py" line="+168" />
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
        <source>Scanned %n page(s). Enter opens the page editor to check them.</source>
        <translation>
            <numerusform>已扫描 %n 页。按 Enter 打开页面编辑，核对页面。</numerusform>
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
        <source>Importing %n file(s)…</source>
        <translation>
            <numerusform>正在导入 %n 个文件…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+45" />
        <source>Imported %n file(s).</source>
        <translation>
            <numerusform>已导入 %n 个文件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1" />
        <source>%n file(s) refused (see below).</source>
        <translation>
            <numerusform>%n 个文件未能导入（见下方）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11" />
        <source>… and %n more.</source>
        <translation>
            <numerusform>……另有 %n 个。</numerusform>
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
        <source>Making the PDF files of %n document(s)…</source>
        <translation>
            <numerusform>正在生成 %n 份材料的 PDF 文件…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41" />
        <source>Some scanned pages of the draft could not be read back and are missing (documents: {documents}, pages: {pages}). Scan them again.</source>
        <translation>草稿中的部分扫描页面无法读回，已缺失（材料 {documents} 份，页面 {pages} 页），请重新扫描。</translation>
    </message>
</context>
<context>
    <name>DueCasesModel</name>
    <message>
        <location filename="../../mediation_desk/ui/desk_panel.py" line="-427" />
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
    <name>EventKind</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="+52" />
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
    <name>Gender</name>
    <message>
        <location line="-35" />
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
        <location filename="../../mediation_desk/ui/calendar_panel.py" line="-486" />
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
</context>
<context>
    <name>IdDocumentType</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="+3" />
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
    <name>IntakeChecks</name>
    <message>
        <location filename="../../mediation_desk/ui/intake_fields.py" line="+234" />
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
        <location filename="../../mediation_desk/ui/intake_form.py" line="+208" />
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
        <source>(with %n document(s))</source>
        <translation>
            <numerusform>（附材料 %n 份）</numerusform>
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
        <source>%n scanned document(s)</source>
        <translation>
            <numerusform>扫描材料 %n 份</numerusform>
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
</context>
<context>
    <name>LimitsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/calendar_panel.py" line="+23" />
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
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/login.py" line="+73" />
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
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../mediation_desk/ui/main_window.py" line="+64" />
        <source>{app} — {center} — {user} ({role})</source>
        <extracomment>What fits a 1366×768 screen with a taskbar. The user chose another interface language (applies at the next start).</extracomment>
        <translation>{app} — {center} — {user}（{role}）</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Cases</source>
        <extracomment>The registration form, for the roles that register cases at the window.</extracomment>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Your account is not a member of any mediation team yet. Ask the administrator to add your mediator record to a team.</source>
        <translation>您的账户尚未加入任何调解团队。请系统管理员把您的调解员信息加入相应团队。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>My team's cases</source>
        <translation>本团队案件</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Closure review</source>
        <translation>待审核结案</translation>
    </message>
    <message>
        <location line="+6" />
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
        <location line="+21" />
        <source>Desk</source>
        <translation>工作台</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Registration</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Receipt saved as {path}</source>
        <translation>受理回执已保存为 {path}</translation>
    </message>
    <message>
        <location line="+8" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1" />
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
        <location line="+14" />
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
</context>
<context>
    <name>MediatorForm</name>
    <message>
        <location filename="../../mediation_desk/ui/org_forms.py" line="+147" />
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
</context>
<context>
    <name>MediatorKind</name>
    <message>
        <location filename="../../mediation_desk/ui/org_models.py" line="-134" />
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
    <name>OrderItem</name>
    <message>
        <location filename="../../mediation_desk/ui/case_oversight.py" line="-259" />
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
        <location filename="../../mediation_desk/ui/desk_panel.py" line="+33" />
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
        <location filename="../../mediation_desk/ui/org_forms.py" line="-545" />
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
        <location filename="../../mediation_desk/ui/organisation_panel.py" line="+140" />
        <source>%n shown</source>
        <extracomment>A warning above the table (dispute types no team handles, on the teams tab).</extracomment>
        <translation>
            <numerusform>共 %n 项</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2" />
        <source> (%n deactivated hidden)</source>
        <translation>
            <numerusform>（另有 %n 项已停用，未显示）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OrgTableModel</name>
    <message>
        <location filename="../../mediation_desk/ui/org_models.py" line="-194" />
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
        <location filename="../../mediation_desk/ui/organisation_panel.py" line="+36" />
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
</context>
<context>
    <name>PageEditor</name>
    <message>
        <location filename="../../mediation_desk/ui/scan_pages.py" line="+136" />
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
        <location filename="../../mediation_desk/ui/scan_models.py" line="+80" />
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
        <location filename="../../mediation_desk/ui/scan_pages.py" line="-354" />
        <source>Preview of the chosen page</source>
        <extracomment>Previews are decoded at one of these sizes (a cache hit while the dialog is resized a little). The size it would like to decode the page at changed (the dialog was resized).</extracomment>
        <translation>所选页面的预览</translation>
    </message>
</context>
<context>
    <name>PaperSource</name>
    <message>
        <location filename="../../mediation_desk/ui/scan_models.py" line="-320" />
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
        <location filename="../../mediation_desk/ui/case_detail.py" line="-578" />
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
    <name>PartyForm</name>
    <message>
        <location filename="../../mediation_desk/ui/intake_party.py" line="+114" />
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
</context>
<context>
    <name>PartyKind</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="-13" />
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
    <name>PresenceMode</name>
    <message>
        <location filename="../../mediation_desk/ui/org_models.py" line="-25" />
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
        <location filename="../../mediation_desk/ui/scan_jobs.py" line="+59" />
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
    <name>RecusalOutcome</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="-12" />
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
        <location filename="../../mediation_desk/ui/routing_panels.py" line="-448" />
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
    <name>RiskLevel</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="+42" />
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
    <name>ScanDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/scan_dialog.py" line="+238" />
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
    <name>SourceChannel</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="+24" />
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
        <location filename="../../mediation_desk/app.py" line="+154" />
        <source>The database was upgraded to this version of {app} (schema {old} → {new}). A copy of it from before the upgrade was saved as:
{path}</source>
        <extracomment>Cases the demo center starts with on a first run. The default SQLite file with no account at all: a first run, which gets the demo center. Demo seeding progress, emitted on the write lane: (cases done, cases in all). The main window is shown. Start-up ended with an error (the message), before the exit.</extracomment>
        <translation>数据库已升级到本版{app}所需的结构（{old} → {new}）。升级前的数据库已备份为：
{path}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>First start: creating the demo center with {count} invented cases…</source>
        <translation>首次启动：正在创建演示中心（{count} 件虚构案件）…</translation>
    </message>
    <message>
        <location line="+70" />
        <source>{app} cannot start.</source>
        <translation>{app}无法启动。</translation>
    </message>
</context>
<context>
    <name>SupervisionBox</name>
    <message>
        <location filename="../../mediation_desk/ui/case_oversight.py" line="+20" />
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
    <name>TaskRunner</name>
    <message>
        <location filename="../../mediation_desk/ui/tasks.py" line="+122" />
        <source>The database could not complete the operation: {detail}. Nothing was saved; please try again, and tell the administrator if it happens again.</source>
        <extracomment>The text for the user: the service's own (Chinese) message for a refused request. True for refusals the services and the database layer explain themselves (ServiceError, DatabaseError); False for a bug or an unreachable database, which is also logged.</extracomment>
        <translation>数据库未能完成本次操作：{detail}。本次操作没有保存任何内容；请重试，如再次出现请告知系统管理员。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>An unexpected error occurred ({kind}: {detail}). Nothing was saved. The details were written to the log file; please tell the administrator.</source>
        <translation>发生了意外错误（{kind}：{detail}）。本次操作没有保存任何内容。详细信息已写入日志文件，请告知系统管理员。</translation>
    </message>
</context>
<context>
    <name>TeamForm</name>
    <message>
        <location filename="../../mediation_desk/ui/org_forms.py" line="+157" />
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
</context>
<context>
    <name>TeamsModel</name>
    <message>
        <location filename="../../mediation_desk/ui/org_models.py" line="+172" />
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
    <name>TimelineModel</name>
    <message>
        <location filename="../../mediation_desk/ui/case_detail.py" line="+72" />
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
    <name>UsersModel</name>
    <message>
        <location filename="../../mediation_desk/ui/users_panel.py" line="+59" />
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
        <location line="+67" />
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
</context>
</TS>