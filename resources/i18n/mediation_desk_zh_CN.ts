<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Action</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="+117"/>
        <source>Accept</source>
        <translation>受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not accept</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Divert</source>
        <translation>分流</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign</source>
        <translation>分派</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start mediation</source>
        <translation>开始调解</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediation succeeded</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediation failed</source>
        <translation>调解不成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transfer to court or department</source>
        <translation>移送法院/转办部门</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submit for closure review</source>
        <translation>提交结案审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve closure</source>
        <translation>审核结案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send back for rework</source>
        <translation>驳回重办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopen mediation</source>
        <translation>重新调解</translation>
    </message>
</context>
<context>
    <name>ActionPrompt</name>
    <message>
        <location line="+3"/>
        <source>Reason for not accepting</source>
        <translation>不予受理的理由</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where it is diverted to, and why</source>
        <translation>分流去向及理由</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why mediation failed</source>
        <translation>调解不成的原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the case was withdrawn</source>
        <translation>撤回的情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where it is transferred to</source>
        <translation>移送或转办的去向</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason for sending it back</source>
        <translation>驳回的理由</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why mediation is reopened</source>
        <translation>重新调解的原因</translation>
    </message>
</context>
<context>
    <name>CaseDetailView</name>
    <message>
        <location filename="../../mediation_desk/ui/case_detail.py" line="+254"/>
        <source>Double-click a case in the list, or press Enter, to open it.</source>
        <extracomment>A case was shown (after a load or reload): its id.</extracomment>
        <translation>在左侧列表中双击案件（或选中后按回车键）即可在此查看。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+46"/>
        <source>Team</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="-46"/>
        <location line="+48"/>
        <source>Lead mediator</source>
        <translation>承办调解员</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Received</source>
        <translation>收案时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Accepted</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>People involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount involved</source>
        <translation>涉及金额</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Place</source>
        <translation>纠纷地点</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{field}:</source>
        <translation>{field}：</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Handle this case</source>
        <translation>办理</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>You cannot change this case in its current state.</source>
        <translation>案件当前状态下您没有可执行的操作。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Assign to this team</source>
        <translation>确定分派</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Facts and requests</source>
        <translation>纠纷事实及申请事项</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Timeline</source>
        <translation>办理经过</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Risk: {level}</source>
        <translation>风险：{level}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Group dispute</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>May turn criminal</source>
        <translation>可能民转刑</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{amount} yuan</source>
        <translation>{amount} 元</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not assigned</source>
        <translation>尚未分派</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No facts recorded yet.</source>
        <translation>尚未填写纠纷事实。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Requests:</source>
        <translation>申请事项：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No requests recorded.</source>
        <translation>尚未填写申请事项。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Needs a note: {prompt}</source>
        <translation>需在备注中填写：{prompt}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Optional note for the timeline</source>
        <translation>备注（记入办理经过，可不填）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (required: {prompts})</source>
        <translation>；以下操作必须填写：{prompts}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Choose a team…</source>
        <translation>请选择调解团队…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not named yet</source>
        <translation>暂不指定</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Choose the team the case goes to.</source>
        <translation>请选择承办本案的调解团队。</translation>
    </message>
</context>
<context>
    <name>CaseListModel</name>
    <message>
        <location filename="../../mediation_desk/ui/case_list_model.py" line="+121"/>
        <source>Case number</source>
        <extracomment>Rows per window: a screen holds ~30 rows, so one window covers several screens of scrolling. Windows kept in memory (LRU): 40 × 150 = 6,000 rows, a few MB at most. Window requests allowed in the read lane at once; older queued ones are dropped when the user scrolls on, since the view asks again for whatever it still paints. Windows fetched again after a change: the ones the user most recently looked at.</extracomment>
        <translation>案号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>收案时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>纠纷名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Applicants</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Team</source>
        <translation>调解团队</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lead mediator</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>最后更新</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>This column cannot be sorted</source>
        <extracomment>The columns that sort, each on an index of dispute_case. The whole ``CaseRow`` (None while the row is loading). The number of rows matching the query is known (after a new query or a refresh). Rows ``first`` … ``last`` arrived. A refresh after a change finished (rows may have moved under the selection). Bumped by every new query or refresh; results of older generations are dropped. A count is on its way; until then rows are not fetched one window at a time. The count on its way belongs to a new query (rows restart at the top).</extracomment>
        <translation>此列不能排序</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
</context>
<context>
    <name>CaseListView</name>
    <message>
        <location filename="../../mediation_desk/ui/case_list_view.py" line="+79"/>
        <source>Received from</source>
        <extracomment>Double-click or Enter on a row: the case id.</extracomment>
        <translation>收案日期从</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+112"/>
        <source>All dispute types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>All my teams</source>
        <translation>本团队（全部）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All teams</source>
        <translation>全部团队</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In progress</source>
        <translation>办理中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Awaiting intake and assignment</source>
        <translation>待受理、待分派</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Being mediated</source>
        <translation>调解阶段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finished</source>
        <translation>已办结</translation>
    </message>
    <message numerus="yes">
        <location line="+93"/>
        <source>%n case(s)</source>
        <translation>
            <numerusform>共 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseState</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="-93"/>
        <source>Registered</source>
        <extracomment>The interface languages offered in the settings menu, each named in its own language. The family name inside resources/fonts/NotoSansCJKsc-Regular.ttf.</extracomment>
        <translation>登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not accepted</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diverted</source>
        <translation>分流</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assigned</source>
        <translation>分派</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In mediation</source>
        <translation>调解中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediation succeeded</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediation failed</source>
        <translation>调解不成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transferred</source>
        <translation>已移送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Withdrawn</source>
        <translation>撤回</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closure review</source>
        <translation>结案审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
</context>
<context>
    <name>EventKind</name>
    <message>
        <location line="+48"/>
        <source>Registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State change</source>
        <translation>状态变更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record</source>
        <translation>笔录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>文书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return visit</source>
        <translation>回访</translation>
    </message>
</context>
<context>
    <name>Gender</name>
    <message>
        <location line="-35"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
</context>
<context>
    <name>IdDocumentType</name>
    <message>
        <location line="+3"/>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Travel permit for Hong Kong/Macao residents</source>
        <translation>港澳居民来往内地通行证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Travel permit for Taiwan residents</source>
        <translation>台湾居民来往大陆通行证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other document</source>
        <translation>其他证件</translation>
    </message>
</context>
<context>
    <name>IntakeChecks</name>
    <message>
        <location filename="../../mediation_desk/ui/intake_fields.py" line="+234"/>
        <source>Write the date like 1980-01-02.</source>
        <extracomment>A check in the services&apos; style: returns the cleaned value or raises ``InvalidInput``. The clerk left the field (not for a menu or another window): time to check it. A composition started (True) or ended (False). A check passed on a non-empty value: the cleaned value the check returned. The clerk typed in the field since it was last reset. Passing an empty field that was never touched (Tab on the way to another) is no reason to complain; saving is.</extracomment>
        <translation>日期请写成 1980-01-02 的形式。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>There is no such date.</source>
        <translation>没有这一天，请核对日期。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The date of birth cannot be later than today.</source>
        <translation>出生日期不能晚于今天。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The year of birth is not plausible.</source>
        <translation>出生年份不合理，请核对。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Write the amount in yuan as a number, such as 12000 or 3500.50.</source>
        <translation>涉及金额请填写数字（元），如 12000 或 3500.50。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The amount cannot be negative.</source>
        <translation>涉及金额不能为负数。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The amount can have at most two decimals (fen).</source>
        <translation>涉及金额最多保留两位小数（到分）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The amount is too large.</source>
        <translation>涉及金额过大，请核对。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Write the number of people as a whole number, such as 3.</source>
        <translation>涉及人数请填写整数，如 3。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The number of people is too large.</source>
        <translation>涉及人数过大，请核对。</translation>
    </message>
</context>
<context>
    <name>IntakeForm</name>
    <message>
        <location filename="../../mediation_desk/ui/intake_form.py" line="+174"/>
        <source>Restore the draft</source>
        <extracomment>Version of the form&apos;s state inside a draft (``restore`` reads older ones). The number of the open case this one repeats (重复来访), or &quot;&quot;. After &quot;save and print&quot;: the new case&apos;s id (the main window renders the receipt). The clerk wants to see a case (the one just registered, or one in a party&apos;s history). A case was registered: a :class:`Registered`. How often a changed form is written to its draft. How long a removed party can be brought back.</extracomment>
        <translation>恢复草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard it</source>
        <translation>放弃草稿</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>&amp;Open the case</source>
        <translation>打开案件(&amp;O)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Dispute</source>
        <translation>纠纷基本情况</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Group dispute</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>May turn criminal</source>
        <translation>可能民转刑</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. wages owed by a construction company</source>
        <translation>如：某建筑公司拖欠农民工工资</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the dispute type.</source>
        <translation>请选择纠纷类型。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Risk flags</source>
        <translation>风险标记</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Title (a short name of the dispute)</source>
        <translation>纠纷名称（简要标题）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter a short title of the dispute.</source>
        <translation>请填写纠纷名称（简要标题）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>People involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount involved (yuan)</source>
        <translation>涉及金额（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place (address)</source>
        <translation>发生地点（地址）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Village or community</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Undo removal</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Add a party ({keys})</source>
        <translation>添加当事人 ({keys})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adds another applicant, respondent or third party</source>
        <translation>再添加一名申请人、被申请人或第三人</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Facts and requests</source>
        <translation>纠纷简要情况与申请事项</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>One request per line</source>
        <translation>每行一项申请事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Brief account of the dispute</source>
        <translation>纠纷简要情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Requests of the applicant (one per line)</source>
        <translation>申请事项（每行一项）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save ({keys})</source>
        <translation>保存 ({keys})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save and print the receipt ({keys})</source>
        <translation>保存并打印受理回执 ({keys})</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Party {number} ({name}) was removed.</source>
        <translation>已删除第 {number} 位当事人（{name}）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Party {number} was removed.</source>
        <translation>已删除第 {number} 位当事人。</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>At least one party must be an applicant.</source>
        <translation>至少需要一名申请人。</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Correct the fields marked in red ({count}); the first one has the cursor.</source>
        <translation>有 {count} 处需要修改（已标红），光标已放在第一处。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Registered: {number}</source>
        <translation>已登记：{number}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat visit: linked to the open case {number}.</source>
        <translation>重复来访：已关联未结案件 {number}。</translation>
    </message>
    <message>
        <location line="+159"/>
        <source>The draft could not be saved: {error}</source>
        <translation>草稿未能保存：{error}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Draft saved at {time}</source>
        <translation>草稿已于 {time} 自动保存</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>title: {title}</source>
        <translation>纠纷名称：{title}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>parties: {names}</source>
        <translation>当事人：{names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An unsaved registration draft from {time} was found.</source>
        <translation>发现未保存的受理登记草稿（{time}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>({details})</source>
        <translation>（{details}）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Draft of {time} restored</source>
        <translation>已恢复 {time} 的草稿</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The draft could not be removed: {error}</source>
        <translation>草稿未能删除：{error}</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../mediation_desk/ui/login.py" line="+73"/>
        <source>{app} — Sign in</source>
        <extracomment>(user name, role) of the demo accounts, and their shared password. The ``Actor`` of a successful login.</extracomment>
        <translation>{app} — 登录</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{user} ({role})</source>
        <translation>{user}（{role}）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This is a demo center with invented cases. Accounts: {accounts}; the password of each is {password}.</source>
        <translation>这是演示中心，案件均为虚构。演示账户：{accounts}；密码均为 {password}。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../mediation_desk/ui/main_window.py" line="+61"/>
        <source>{app} — {center} — {user} ({role})</source>
        <extracomment>What fits a 1366×768 screen with a taskbar. The user chose another interface language (applies at the next start).</extracomment>
        <translation>{app} — {center} — {user}（{role}）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cases</source>
        <extracomment>The registration form, for the roles that register cases at the window.</extracomment>
        <translation>案件</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your account is not a member of any mediation team yet. Ask the administrator to add your mediator record to a team.</source>
        <translation>您的账户尚未加入任何调解团队。请系统管理员把您的调解员信息加入相应团队。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>My team&apos;s cases</source>
        <translation>本团队案件</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Closure review</source>
        <translation>待审核结案</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Registration</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Receipt saved as {path}</source>
        <translation>受理回执已保存为 {path}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interface &amp;language</source>
        <translation>界面语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The interface language will change to {language} the next time Mediation Desk starts.</source>
        <translation>界面语言将在下次启动矛调工作台时切换为{language}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About {app}</source>
        <translation>关于{app}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{app} {version}

Case management for county conflict-mediation centers: registration, assignment, mediation, closure and review.

Database: {database}</source>
        <translation>{app} {version}

县级矛盾纠纷调处中心案件管理：登记、分派、调解、结案与审核。

数据库：{database}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>PartiesModel</name>
    <message>
        <location filename="../../mediation_desk/ui/case_detail.py" line="-562"/>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名（名称）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID document</source>
        <translation>证件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent</source>
        <translation>代理人</translation>
    </message>
</context>
<context>
    <name>PartyForm</name>
    <message>
        <location filename="../../mediation_desk/ui/intake_party.py" line="+114"/>
        <source>Remove this party</source>
        <extracomment>The 56 ethnic groups, 汉族 first, then in the order of GB/T 3304. How an agent&apos;s authority is usually written on the 授权委托书; anything else may be typed. Earlier cases listed under a party; the rest are counted. Something the clerk typed or chose changed. The clerk asked to remove this party: this form. The person is now identifiable (valid ID, or name with a valid phone): look them up. A respondent&apos;s name or number changed: check for a crowd of complaints against them. A case number in the history was clicked: its id. The kind or the agent switch changed which fields are shown (tab order must follow). The resident ID number sex and birth date were last filled from. Read operations in flight for this party (cancelled when it goes away).</extracomment>
        <translation>删除此当事人</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Document number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. 1980-01-02</source>
        <translation>如 1980-01-02</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Work unit</source>
        <translation>工作单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minor</source>
        <translation>未成年人</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Legal representative</source>
        <translation>法定代表人（负责人）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Has an agent</source>
        <translation>有代理人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent&apos;s name</source>
        <translation>代理人姓名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent&apos;s phone</source>
        <translation>代理人电话</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Authority granted</source>
        <translation>代理权限</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name of the organisation</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Registered address</source>
        <translation>住所地</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Party {number}</source>
        <translation>第 {number} 位当事人</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Enter the party&apos;s name.</source>
        <translation>请填写当事人姓名。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the name of the organisation.</source>
        <translation>请填写单位名称。</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>This person has an open case {number} ({state}); this registration will be marked as a repeat visit.</source>
        <translation>此人有未结案件 {number}（{state}），本次登记将标记为重复来访。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This person has an open case {number} ({state}).</source>
        <translation>此人有未结案件 {number}（{state}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cases of this person at the center ({count}):</source>
        <translation>此人在本中心的案件（共 {count} 件）：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>… and {count} more</source>
        <translation>……另有 {count} 件</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>⚠ Possible group dispute: {applicants} applicants brought {cases} case(s) against this respondent in the last {days} days (the center flags {threshold} or more). Check, and tick “Group dispute” if so.</source>
        <translation>⚠ 可能为群体性纠纷：近 {days} 天内已有 {applicants} 名申请人针对该被申请人登记 {cases} 件纠纷（本中心达到 {threshold} 名即提示）。请核实，属实请勾选“群体性纠纷”。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{applicants} applicant(s) brought {cases} case(s) against this respondent in the last {days} days.</source>
        <translation>近 {days} 天内已有 {applicants} 名申请人针对该被申请人登记 {cases} 件纠纷。</translation>
    </message>
</context>
<context>
    <name>PartyKind</name>
    <message>
        <location filename="../../mediation_desk/ui/i18n.py" line="-13"/>
        <source>Natural person</source>
        <translation>自然人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Legal person</source>
        <translation>法人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unincorporated organisation</source>
        <translation>非法人组织</translation>
    </message>
</context>
<context>
    <name>PartyRole</name>
    <message>
        <location line="-7"/>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Respondent</source>
        <translation>被申请人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Third party</source>
        <translation>第三人</translation>
    </message>
</context>
<context>
    <name>RiskLevel</name>
    <message>
        <location line="+31"/>
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orange</source>
        <translation>橙</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yellow</source>
        <translation>黄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blue</source>
        <translation>蓝</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location line="-42"/>
        <source>Intake clerk</source>
        <translation>受理员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Center head</source>
        <translation>中心主任</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>SourceChannel</name>
    <message>
        <location line="+24"/>
        <source>Walk-in visit</source>
        <translation>来访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone call</source>
        <translation>来电</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Letter</source>
        <translation>来信</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Online</source>
        <translation>网上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grid worker report</source>
        <translation>网格员上报</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Police transfer</source>
        <translation>公安移交</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delegated or entrusted by a court</source>
        <translation>法院委派/委托</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Petition office transfer</source>
        <translation>信访转办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Department transfer</source>
        <translation>部门转办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active screening</source>
        <translation>主动排查</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../mediation_desk/app.py" line="+154"/>
        <source>The database was upgraded to this version of {app} (schema {old} → {new}). A copy of it from before the upgrade was saved as:
{path}</source>
        <extracomment>Cases the demo center starts with on a first run. The default SQLite file with no account at all: a first run, which gets the demo center. Demo seeding progress, emitted on the write lane: (cases done, cases in all). The main window is shown. Start-up ended with an error (the message), before the exit.</extracomment>
        <translation>数据库已升级到本版{app}所需的结构（{old} → {new}）。升级前的数据库已备份为：
{path}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>First start: creating the demo center with {count} invented cases…</source>
        <translation>首次启动：正在创建演示中心（{count} 件虚构案件）…</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>{app} cannot start.</source>
        <translation>{app}无法启动。</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <location filename="../../mediation_desk/ui/tasks.py" line="+122"/>
        <source>The database could not complete the operation: {detail}. Nothing was saved; please try again, and tell the administrator if it happens again.</source>
        <extracomment>The text for the user: the service&apos;s own (Chinese) message for a refused request. True for refusals the services and the database layer explain themselves (ServiceError, DatabaseError); False for a bug or an unreachable database, which is also logged.</extracomment>
        <translation>数据库未能完成本次操作：{detail}。本次操作没有保存任何内容；请重试，如再次出现请告知系统管理员。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>An unexpected error occurred ({kind}: {detail}). Nothing was saved. The details were written to the log file; please tell the administrator.</source>
        <translation>发生了意外错误（{kind}：{detail}）。本次操作没有保存任何内容。详细信息已写入日志文件，请告知系统管理员。</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <location filename="../../mediation_desk/ui/case_detail.py" line="+72"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <location filename="../../mediation_desk/ui/users_panel.py" line="+59"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Locked until {time}</source>
        <translation>已锁定至 {time}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Active (must change password)</source>
        <translation>正常（须修改密码）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <location line="+34"/>
        <location line="+107"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="-104"/>
        <source>Must change the password at first sign-in</source>
        <translation>首次登录时必须修改密码</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediator record</source>
        <translation>对应调解员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Passwords need at least 8 characters from at least three of: lower case, upper case, digits, symbols.</source>
        <translation>密码至少 8 个字符，并包含小写字母、大写字母、数字、符号中的至少三类。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+115"/>
        <source>Select a user in the list.</source>
        <translation>请在列表中选择一个用户。</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>Set new password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+111"/>
        <location line="+5"/>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="-112"/>
        <source>Selected user</source>
        <translation>所选用户</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>{name} ({user}), {role}: {status}</source>
        <translation>{name}（{user}），{role}：{status}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activate</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Added the account “{user}”.</source>
        <translation>已添加账户“{user}”。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>New password set for “{user}”; they must change it at their next sign-in.</source>
        <translation>已为“{user}”重设密码；该用户下次登录时须修改密码。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>“{user}” can sign in again.</source>
        <translation>“{user}”已启用，可以重新登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“{user}” can no longer sign in; their history keeps their name.</source>
        <translation>“{user}”已停用，不能再登录；其办理记录仍保留其姓名。</translation>
    </message>
</context>
</TS>
