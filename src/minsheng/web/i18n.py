"""A small message catalogue: Chinese first, English on ``?lang=en`` (remembered in a cookie)."""

from __future__ import annotations

from collections.abc import Callable

from minsheng.domain.standards import FIELD_NAMES_ZH
from minsheng.services.observations import COLUMN_HEADERS

LANGS = ("zh", "en")
COOKIE = "lang"

MESSAGES: dict[str, tuple[str, str]] = {
    "app": ("民生 · 公共服务规划监测评估", "minsheng · public service plan monitoring"),
    "home": ("首页", "Home"),
    "plans": ("规划", "Plans"),
    "plan": ("规划", "Plan"),
    "regions": ("地区", "Regions"),
    "region": ("地区", "Region"),
    "map": ("地图", "Map"),
    "equity": ("均等化", "Equalisation"),
    "alignment": ("上下衔接", "Alignment"),
    "quality": ("数据质量", "Data quality"),
    "access": ("可达性", "Accessibility"),
    "search": ("搜索", "Search"),
    "search_hint": ("规划、指标、地区名称或代码", "plans, indicators, regions, codes"),
    "language": ("English", "中文"),
    "skip": ("跳到正文", "Skip to content"),
    "level": ("层级", "Level"),
    "national": ("国家级", "National"),
    "province": ("省级", "Provincial"),
    "prefecture": ("地市级", "Prefecture"),
    "county": ("县级", "County"),
    "level_unknown": ("地区未知（文件未写明）", "Region unknown (the document does not name one)"),
    "period_unknown": ("规划期未知", "period unknown"),
    "period": ("规划期", "Period"),
    "indicators": ("指标", "Indicators"),
    "indicator": ("指标", "Indicator"),
    "mapped": ("对应目录", "Mapped"),
    "warnings": ("约束性预警", "Binding warnings"),
    "notices": ("预期性提示", "Notices"),
    "higher_plan": ("上级规划", "Higher-level plan"),
    "evaluation_year": ("评估年份", "Evaluation year"),
    "show": ("查看", "Show"),
    "status": ("状态", "Status"),
    "nature": ("属性", "Nature"),
    "binding": ("约束性", "Binding"),
    "anticipatory": ("预期性", "Anticipatory"),
    "data_year": ("数据年份", "Data year"),
    "baseline": ("基期值", "Baseline"),
    "target": ("目标值", "Target"),
    "target_full_coverage": ("应保尽保", "All who qualify covered"),
    "target_keep_zero": ("保持动态清零", "Kept at zero"),
    "value": ("实际值", "Value"),
    "expected": ("期望值", "Expected"),
    "rho": ("ρ 完成度", "ρ progress"),
    "reason": ("判定依据", "Reason"),
    "domain": ("领域", "Domain"),
    "domains": ("九大领域汇总", "By the nine domains"),
    "other_domain": ("未归类", "Unclassified"),
    "no_plans": (
        "尚无规划。运行 minsheng ingest 或 minsheng demo。",
        "No plans yet. Run minsheng ingest or minsheng demo.",
    ),
    "no_results": ("没有结果", "No results"),
    "nothing_costed": (
        "没有可测算的项目，因而没有合计（不是0元）：各项目未能测算的原因见下。",
        "No item could be costed, so there is no total (not 0 yuan): why, item by item, below.",
    ),
    "no_indicators_read": (
        "未从该文件读出指标表：没有可评估、可上图的指标。",
        "No indicator table was read from this document: nothing to judge or map.",
    ),
    "chart": ("走势图", "Chart"),
    "series": ("观测值与目标路径", "Observations against the target path"),
    "observed": ("观测值", "Observed"),
    "older_versions": ("此前版本（已更正）", "Earlier versions (corrected)"),
    "withdrawn": ("已撤回", "withdrawn"),
    "withdraw": ("撤回", "Withdraw"),
    "withdraw_value": ("撤回数值", "Withdraw a value"),
    "withdraw_help": (
        "误填（地区、指标或年份有误）的数值可以撤回：撤回后不再参与评估和展示，历史记录保留，之后可重新填报。",
        "A value stored by mistake (wrong region, indicator or year) can be withdrawn: no page or evaluation counts it any more, its history stays, and it can be entered again.",
    ),
    "withdraw_reason": ("撤回理由", "Reason"),
    "withdrawn_done": ("已撤回", "Withdrawn"),
    "trajectory": ("目标路径", "Target path"),
    "projection": ("线性外推", "Linear projection"),
    "required": ("达标所需路径", "Path to the target"),
    "show_value": ("数值", "Value"),
    "show_status": ("状态", "Status"),
    "colour_by": ("着色", "Colour by"),
    "versions": ("版本", "Versions"),
    "version": ("版本", "Version"),
    "year": ("年份", "Year"),
    "source": ("来源", "Source"),
    "entered": ("录入", "Entered"),
    "synthetic": ("合成数据", "synthetic"),
    "record": ("计算记录", "Calculation record"),
    "children": ("下级地区同一指标", "The same indicator across child regions"),
    "drill": ("下级地区", "Regions below"),
    "applies": ("适用的规划", "Plans that apply"),
    "chain": ("上级地区", "Higher regions"),
    "data_source": ("数据来源", "Data source"),
    "boundaries": ("边界", "Boundaries"),
    "boundaries_credit": (
        "ECharts 4.9.0 地图边界文件（npm 包 echarts，Apache-2.0 许可）",
        "ECharts 4.9.0 map boundaries (npm package echarts, Apache-2.0 licence)",
    ),
    "under": ("范围", "Area"),
    "gini": ("基尼系数", "Gini"),
    "theil_t": ("泰尔指数 T", "Theil T"),
    "theil_l": ("泰尔指数 L", "Theil L"),
    "cv": ("变异系数", "CV"),
    "between": ("组间", "between"),
    "within": ("组内", "within"),
    "mean": ("加权均值", "Weighted mean"),
    "regions_n": ("地区数", "Regions"),
    "missing_regions": ("无数据的地区", "Regions without data"),
    "spread_needs_two": (
        "仅一个地区有数据的年份无法衡量差距（显示为 —）。",
        "A year with data from one region only has no spread (shown as —).",
    ),
    "flag": ("标记", "Flag"),
    "message": ("说明", "Message"),
    "flag_missing_binding": ("上级约束性指标本级未设置", "Higher binding indicator missing"),
    "flag_binding_made_anticipatory": ("上级约束性指标本级设为预期性", "Binding made anticipatory"),
    "flag_below_higher_target": ("本级目标低于上级目标", "Target below the higher plan's"),
    "flag_different_form": (
        "本级与上级目标表述形式不同，未比较",
        "Stated in another form than the higher plan's: not compared",
    ),
    "flag_above_history": ("要求增速明显高于历史增速", "Required rate far above history"),
    "flag_below_history": ("要求增速明显低于历史增速", "Required rate far below history"),
    "expected_cells": ("应报", "Expected"),
    "reported": ("已报", "Reported"),
    "missing": ("缺报", "Missing"),
    "late": ("迟报", "Late"),
    "outliers": ("异常值", "Outliers"),
    "completeness": ("完整率", "Completeness"),
    # the columns of the data quality tables (services.quality)
    "q_region": ("地区", "Region"),
    "q_indicator": ("指标", "Indicator"),
    "q_expected": ("应报", "Expected"),
    "q_reported": ("已报", "Reported"),
    "q_on_time": ("按时报送", "On time"),
    "q_reporting_rate": ("报送率", "Reporting rate"),
    "q_on_time_rate": ("及时率", "On-time rate"),
    "q_year": ("年份", "Year"),
    "q_value": ("数值", "Value"),
    "q_unit": ("填报单位", "Unit entered"),
    "entered_as": ("填报为", "entered as"),
    "q_wanted_unit": ("指标单位", "Indicator's unit"),
    "other_units": ("计量单位不符的数据", "Values in another quantity's unit"),
    "other_units_note": (
        "这些数据的单位与本规划该指标的单位不是同一计量，未参与评估；请更正数据或指标映射。",
        "These values are in a unit that measures another quantity than the indicator's; "
        "they are not judged. Correct the values or the indicator's mapping.",
    ),
    "q_z_regions": ("稳健 z 值（地区间）", "Robust z (across regions)"),
    "q_z_years": ("稳健 z 值（历年）", "Robust z (across years)"),
    "coverage": ("覆盖率", "Coverage"),
    "not_found": ("未找到", "Not found"),
    "error": ("出错了", "Something went wrong"),
    # an error whose raiser gave no Chinese wording: its kind in words, the detail marked English
    "error_NotFound": ("未找到所请求的内容。", "Not found."),
    "error_InvalidData": ("输入有误，未作任何修改。", "The input cannot be accepted."),
    "error_Conflict": ("与已有数据冲突，未作任何修改。", "It conflicts with stored data."),
    "error_PermissionDenied": ("没有权限执行此操作。", "Not permitted."),
    "error_NotAuthenticated": ("请先登录。", "Please sign in."),
    "error_TooManyAttempts": ("尝试次数过多，请稍后再试。", "Too many attempts; try later."),
    "error_Unavailable": ("数据库暂时不能写入，未作任何修改，请稍后再试。", "The store is busy."),
    "error_detail_en": ("详细说明（英文）：", "Detail: "),
    "row_n": ("第{}行", "row {}"),
    "notes": ("说明", "Notes"),
    "computed_at": ("计算时间", "Computed"),
    "method": ("方法", "Method"),
    "open": ("打开", "Open"),
    "status_counts": ("状态分布", "Statuses"),
    "no_data_map": ("无数据", "no data"),
    "choose": ("选择", "Choose"),
    "achieved": ("已实现", "Achieved"),
    "on_track": ("进度正常", "On track"),
    "lagging": ("进度滞后", "Lagging"),
    "regressing": ("逆向变化", "Regressing"),
    "no_data": ("缺数据", "No data"),
    "not_assessable": ("无法评估", "Not assessable"),
    "undetermined": ("界值不足以判定", "Undetermined"),
    "draft": ("草稿", "Draft"),
    "submitted": ("已报送", "Submitted"),
    "approved": ("已审核", "Approved"),
    "returned": ("已退回", "Returned"),
    "published": ("已发布", "Published"),
    "regional": ("地区", "Region"),
    "login": ("登录", "Sign in"),
    "logout": ("退出", "Sign out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "entry": ("数据填报", "Data entry"),
    "unit": ("单位", "Unit"),
    "saved": ("已保存", "Saved"),
    "save_draft": ("保存草稿", "Save as draft"),
    "submit_all": ("提交审核", "Submit for approval"),
    "review": ("审核", "Review"),
    "import_warnings": ("已导入。请核对以下提示：", "Imported. Please check these notes:"),
    "review_choose_help": (
        "选择规划与年份，查看报送进度并审核待批数据。只列出您负责审核的地区所涉及的规划。",
        "Choose a plan and a year to see who has reported and review what waits. "
        "Only plans covering regions you review are listed.",
    ),
    "years": ("年份", "Years"),
    "region_not_confirmed": ("地区未确认", "region not confirmed"),
    "upload": ("上传填报模板", "Upload the template"),
    "template": ("下载填报模板（Excel）", "Download the template (Excel)"),
    "file": ("文件", "File"),
    "by_region": ("各地区报送情况", "By region"),
    "waiting": ("待审核", "Waiting for approval"),
    "decision": ("审核", "Decision"),
    "approve": ("通过", "Approve"),
    "return": ("退回", "Return"),
    "comment": ("退回意见", "Comment"),
    "publish_year": ("发布本年度数据与评估", "Publish the year's values and evaluation"),
    "audit": ("操作记录", "Audit trail"),
    "audit_help": (
        "每一次写入：谁、何时、从何处、改了什么（修改前与修改后）。数据从不覆盖，更正为新版本。",
        "Every write: who, when, from where, and what changed (before and after). "
        "Nothing is overwritten; a correction is a new version.",
    ),
    "rows": ("条数", "Rows"),
    "when": ("时间（北京时间）", "When (Beijing time)"),
    "beijing_time": ("北京时间", "Beijing time"),
    "who": ("操作人", "Who"),
    "from_where": ("来源地址", "From"),
    "what": ("操作", "Action"),
    "subject": ("对象", "Subject"),
    "before": ("修改前", "Before"),
    "after": ("修改后", "After"),
    "system": ("系统", "system"),
    "audit_value_add": ("新增数据", "value added"),
    "audit_value_correct": ("更正数据", "value corrected"),
    "audit_value_draft": ("退回/草稿", "value to draft"),
    "audit_value_submitted": ("提交审核", "value submitted"),
    "audit_value_approved": ("审核通过", "value approved"),
    "audit_value_published": ("发布数据", "value published"),
    "audit_value_withdraw": ("撤回数据", "value withdrawn"),
    "audit_user_add": ("新增账户", "account added"),
    "audit_plan_add": ("新增规划", "plan added"),
    "audit_plan_delete": ("删除规划", "plan deleted"),
    "audit_plan_version": ("规划新版本", "new plan version"),
    "audit_plan_correct": ("更正规划指标", "plan rows corrected"),
    "audit_indicator_map": ("指标对应目录", "indicator mapped"),
    "audit_indicator_unmap": ("取消指标对应", "indicator unmapped"),
    "audit_deadline_set": ("设定报送期限", "due date set"),
    "audit_year_publish": ("发布年度数据与评估", "year published"),
    "f_value": ("数值", "value"),
    "f_bound": ("界限", "bound"),
    "f_status": ("状态", "status"),
    "f_unit": ("单位", "unit"),
    "f_source": ("来源", "source"),
    "f_note": ("说明", "note"),
    "f_due": ("截止日期", "due"),
    "f_role": ("角色", "role"),
    "role_admin": ("管理员", "administrator"),
    "role_analyst": ("分析人员", "analyst"),
    "role_reporter": ("填报人", "reporter"),
    "role_evaluator": ("第三方评估人员", "evaluator"),
    "role_public": ("公众", "public"),
    "f_region": ("地区", "region"),
    "f_display_name": ("姓名", "name"),
    "f_values": ("数据条数", "values"),
    "f_evaluation_records": ("评估记录", "evaluation records"),
    "f_plan": ("规划编号", "plan"),
    "f_title": ("标题", "title"),
    "f_indicators": ("指标数", "indicators"),
    "f_changes": ("变更", "changes"),
    "f_reason": ("原因", "reason"),
    "f_values_kept": ("保留数据", "values kept"),
    "f_values_deleted": ("删除数据", "values deleted"),
    "f_plan_indicator": ("规划指标编号", "plan indicator"),
    "f_canonical": ("目录指标", "catalogue indicator"),
    "timeliness": ("是否按期", "On time?"),
    "audit_user_grant": ("授予角色", "role granted"),
    "edit_list": ("修订清单", "Revise the list"),
    "edit_list_help": (
        "保存后生成新版本，原版本保留；空行忽略，勾选“删除”的行不再列入。当前",
        "Saving makes a new version and keeps the old one; empty rows are ignored, ticked rows "
        "are left out. Current",
    ),
    "remove": ("删除", "Remove"),
    "save_version": ("保存为新版本", "Save as a new version"),
    "row": ("行", "Row"),
    "problem_warning": ("提示", "warning"),
    "choose_file": ("请选择要上传的文件（.xlsx 或 .csv）", "choose a file (.xlsx or .csv)"),
    "std_domain": ("领域", "Domain"),
    "std_category": ("服务类别", "Category"),
    "std_spending_responsibility": ("支出责任", "Spending responsibility"),
    "std_lead_department": ("牵头负责单位", "Lead department"),
    "audit_list_revise": ("修订服务清单", "list revised"),
    "cycle": ("报送进度", "Reporting progress"),
    "due": ("报送截止日期", "Due date"),
    "no_due": ("未设定报送截止日期", "No due date set"),
    "set_due": ("设定截止日期", "Set the due date"),
    "reporters": ("填报人", "Reporters"),
    "state": ("状态", "State"),
    "on_time": ("按期", "On time"),
    "not_started": ("未开始", "Not started"),
    "owed": ("应报", "Owed"),
    "not_set": ("未设定", "Not set"),
    "plan_own_region": ("本级", "plan's region"),
    "below_unset": (
        "尚未设定下级地区应报哪些指标：下级地区只显示已报数据，应报、缺报和是否按期为“未设定”。"
        "请在下方“下级地区应报指标”中勾选后保存。",
        "Which indicators the regions below report has not been set: for them only what they "
        "handed in is shown, and what they owe, miss and whether they are late is not set. "
        "Tick them under “Indicators the regions below report” and save.",
    ),
    "below_unset_ask": (
        "尚未设定下级地区应报哪些指标：下级地区只显示已报数据，应报、缺报和是否按期为“未设定”。"
        "请规划所属地区的分析人员或管理员设定。",
        "Which indicators the regions below report has not been set: for them only what they "
        "handed in is shown. An analyst of the plan's region or an administrator sets it.",
    ),
    "cycle_set_by": (
        "截止日期和下级地区应报指标由规划所属地区的分析人员或管理员设定。",
        "Due dates and what the regions below report are set by an analyst of the plan's region "
        "or an administrator.",
    ),
    "reported_below": ("下级地区应报指标", "Indicators the regions below report"),
    "reported_below_help": (
        "规划所属地区报送全部指标；勾选下级地区也须报送的指标，未勾选的仅由本级报送。",
        "The plan's own region reports every indicator; tick those the regions below it report "
        "as well — the others only the plan's own region reports.",
    ),
    "set_reported_below": ("保存下级应报指标", "Save what the regions below report"),
    "audit_reported_below_set": ("设定下级应报指标", "indicators reported below set"),
    "f_reported_below": ("下级应报指标编号", "reported below (plan indicator ids)"),
    "publish_year_help": (
        "已通过审核的数据与按已发布数据计算的本年度评估一并公开。",
        "Approved values are published together with the year's evaluation on published values.",
    ),
}


#: Source labels the program itself writes on values (not a user's words), in both languages.
SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "web form": ("网页填报", "web form"),
    "manual correction": ("人工更正", "manual correction"),
}


def source_label(text: str | None, lang: str = "zh") -> str | None:
    """A value's source as the page's language says it; a user's own wording is kept as given."""
    pair = SOURCE_LABELS.get(text or "")
    return pair[LANGS.index(lang)] if pair else text


#: Fields of problems that no file column names, and the catalogue key that names them.
_FIELD_KEYS = {"reason": "change_reason", "comment": "comment", "baseline": "baseline",
               "target": "target", "items": "std_item", "plan": "plan"}  # fmt: skip


def field_label(field: str | None, lang: str = "zh") -> str | None:
    """A problem's field named as the user's form or file names it, in the page's language.

    The list form's column headings (``std_*``), the fill-in template's headers
    (:data:`~minsheng.services.observations.COLUMN_HEADERS`) and the list file's headers
    (:data:`~minsheng.domain.standards.FIELD_NAMES_ZH`) are the names a user has seen; a
    field already in the user's words (an indicator, a Chinese header) shows as given. An
    internal English key with no such name is left out of a Chinese page (None): the
    Chinese message says what is wrong on its own.
    """
    if not field:
        return None
    index = LANGS.index(lang)
    pair = MESSAGES.get(f"std_{field}") or MESSAGES.get(_FIELD_KEYS.get(field, ""))
    if pair:
        return pair[index]
    header = COLUMN_HEADERS.get(field)
    if header:
        zh, _, en = header.partition(" / ")
        return zh if lang == "zh" else en
    if field in FIELD_NAMES_ZH:
        return FIELD_NAMES_ZH[field] if lang == "zh" else field
    if lang == "zh" and field.isascii():
        return None
    return field


def pick_lang(query: str | None, cookie: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return "zh"


def translator(lang: str) -> Callable[[str], str]:
    """``t(key)`` for templates; an unknown key shows itself, so a gap is visible, not silent."""
    index = LANGS.index(lang)

    def t(key: str) -> str:
        pair = MESSAGES.get(key)
        return pair[index] if pair else key

    return t


# the report, standards and drafting pages keep their messages in their own module
from minsheng.web.i18n_planning import PLANNING_MESSAGES  # noqa: E402

for _key, _pair in PLANNING_MESSAGES.items():  # never redefine a key the pages above use
    MESSAGES.setdefault(_key, _pair)
