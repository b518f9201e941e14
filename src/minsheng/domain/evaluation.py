"""The verdicts of the evaluation method (§3 status, §5 grade) and their Chinese names."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    REGRESSING = "regressing"
    NO_DATA = "no_data"
    NOT_ASSESSABLE = "not_assessable"
    #: the value is known only as a bound (">95") that neither meets nor misses the target
    UNDETERMINED = "undetermined"

    @property
    def label_zh(self) -> str:
        return STATUS_ZH[self]


#: The statuses from the worst to the best: the order in which pages list a plan's rows.
WORST_FIRST = (
    Status.REGRESSING,
    Status.LAGGING,
    Status.NO_DATA,
    Status.UNDETERMINED,
    Status.NOT_ASSESSABLE,
    Status.ON_TRACK,
    Status.ACHIEVED,
)

STATUS_ZH = {
    Status.ACHIEVED: "已实现",
    Status.ON_TRACK: "进度正常",
    Status.LAGGING: "进度滞后",
    Status.REGRESSING: "逆向变化",
    Status.NO_DATA: "缺数据",
    Status.NOT_ASSESSABLE: "无法评估",
    Status.UNDETERMINED: "界值不足以判定",
}


class Grade(StrEnum):
    COMPLETED = "completed"
    BASICALLY_COMPLETED = "basically_completed"
    NOT_COMPLETED = "not_completed"

    @property
    def label_zh(self) -> str:
        return {"completed": "完成", "basically_completed": "基本完成", "not_completed": "未完成"}[
            self.value
        ]


class SdgProgress(StrEnum):
    """Open SDG / Statistics Canada CAGR-ratio classes, shown beside our status."""

    TARGET_ACHIEVED = "target_achieved"
    SUBSTANTIAL = "substantial_progress"
    MODERATE = "moderate_progress"
    LIMITED = "limited_progress"
    DETERIORATION = "deterioration"

    @property
    def label_zh(self) -> str:
        return {
            "target_achieved": "已达标",
            "substantial_progress": "显著进展",
            "moderate_progress": "中等进展",
            "limited_progress": "有限进展",
            "deterioration": "倒退",
        }[self.value]
