"""Basic public service standards (基本公共服务标准/清单): lists and their items."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StandardItem:
    domain: str
    item: str
    served: str | None = None  # 服务对象
    content: str | None = None  # 服务内容
    standard: str | None = None  # 服务标准
    spending_responsibility: str | None = None  # 支出责任
    lead_department: str | None = None  # 牵头负责单位


@dataclass
class StandardList:
    name: str
    version: str
    region_code: str
    items: list[StandardItem] = field(default_factory=list)
