"""The nine service domains ("7+2") and the three tiers of public services.

Local plans rename the domains (幼有所育 becomes 婴幼儿照护服务, 老有所养 becomes
幸福养老服务…); ``classify_domain`` maps such labels by the words that carry
the meaning, so a plan from any region lands in the same nine buckets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    BASIC = "basic"  # 基本公共服务
    INCLUSIVE_NON_BASIC = "inclusive_non_basic"  # 普惠性非基本公共服务
    LIFE = "life"  # 生活服务


TIER_NAMES_ZH = {
    Tier.BASIC: "基本公共服务",
    Tier.INCLUSIVE_NON_BASIC: "普惠性非基本公共服务",
    Tier.LIFE: "生活服务",
}


@dataclass(frozen=True)
class ServiceDomain:
    code: str
    name_zh: str
    name_en: str
    order: int
    keywords: tuple[str, ...]


DOMAINS: tuple[ServiceDomain, ...] = (
    ServiceDomain("childcare", "幼有所育", "Childcare", 1, ("幼", "婴", "托育", "儿童", "育")),
    ServiceDomain("education", "学有所教", "Education", 2, ("学", "教育", "教")),
    ServiceDomain("employment", "劳有所得", "Employment", 3, ("劳", "就业", "创业", "职业")),
    ServiceDomain("health_care", "病有所医", "Health care", 4, ("病", "医", "卫生", "健康")),
    ServiceDomain("elderly_care", "老有所养", "Elderly care", 5, ("老", "养老")),
    ServiceDomain("housing", "住有所居", "Housing", 6, ("住", "居", "住房", "宜居")),
    ServiceDomain(
        "assistance",
        "弱有所扶",
        "Assistance to the vulnerable",
        7,
        ("弱", "扶", "兜底", "救助", "残疾", "社会保障"),
    ),
    ServiceDomain("veterans", "优军服务保障", "Services for veterans", 8, ("军", "优抚", "退役")),
    ServiceDomain(
        "culture_sports", "文体服务保障", "Culture and sports", 9, ("文", "体育", "文化", "体")
    ),
)

DOMAINS_BY_CODE = {d.code: d for d in DOMAINS}

# Ordered checks: the more specific words first, so 养老 is not read as 老 in
# some other sense and 兜底 wins over 保障 in 优军服务保障.
_RULES: tuple[tuple[str, str], ...] = (
    ("优军", "veterans"),
    ("拥军", "veterans"),
    ("优抚", "veterans"),
    ("退役", "veterans"),
    ("军", "veterans"),
    ("文体", "culture_sports"),
    ("文化", "culture_sports"),
    ("体育", "culture_sports"),
    ("幼儿园", "education"),  # preschool is education (学前教育 under 学有所教), not childcare
    ("学前", "education"),
    ("中小学", "education"),
    ("学校", "education"),
    ("医院", "health_care"),  # before 儿童, so 儿童医院 is health care
    ("卫生院", "health_care"),
    ("图书馆", "culture_sports"),
    ("博物馆", "culture_sports"),
    ("公租房", "housing"),
    ("保障性住房", "housing"),
    ("棚户区", "housing"),
    ("老旧小区", "housing"),
    ("低保", "assistance"),
    ("幼有所育", "childcare"),
    ("婴幼儿", "childcare"),
    ("托育", "childcare"),
    ("照护", "childcare"),
    ("儿童", "childcare"),
    ("学有所教", "education"),
    ("教育", "education"),
    ("劳有所得", "employment"),
    ("就业", "employment"),
    ("创业", "employment"),
    ("病有所医", "health_care"),
    ("卫生", "health_care"),
    ("医疗", "health_care"),
    ("健康", "health_care"),
    ("老有所养", "elderly_care"),
    ("养老", "elderly_care"),
    ("住有所居", "housing"),
    ("住房", "housing"),
    ("宜居", "housing"),
    ("安居", "housing"),
    ("弱有所扶", "assistance"),
    ("兜底", "assistance"),
    ("救助", "assistance"),
    ("社会保障", "assistance"),
    ("残疾", "assistance"),
)

_ENUMERATION = re.compile(r"^\s*[（(]?[一二三四五六七八九十\d]+[)）、.．]?\s*")


def strip_enumeration(label: str) -> str:
    """``"一、婴幼儿照护服务"`` → ``"婴幼儿照护服务"``."""
    return _ENUMERATION.sub("", label).strip()


def classify_domain(label: str | None) -> ServiceDomain | None:
    """The service domain a plan's own category label refers to, or None."""
    if not label:
        return None
    text = strip_enumeration(label).replace(" ", "")
    for domain in DOMAINS:
        if text == domain.name_zh:
            return domain
    for word, code in _RULES:
        if word in text:
            return DOMAINS_BY_CODE[code]
    return None
