"""The figures of a report's 六、基本公共服务标准, re-derived from the services' objects the
report content holds (shared by test_build and test_standards_section)."""

from __future__ import annotations

from minsheng.services.report_content import ReportContent


def standards_fact(key: str, content: ReportContent) -> float:
    """A figure of 六、基本公共服务标准, read from the services' comparison and cost objects."""
    facts = content.standards
    assert facts is not None, key
    source, _, name = key.partition(":")
    if source == "std":
        base = facts.cost.baseline if facts.cost is not None else None
        if name == "version":
            return int(facts.stored.list.version)
        if name == "items":
            return len(facts.stored.list.items)
        assert base is not None, key
        if name == "costed":
            return len(base.lines)
        if name == "cost_total_wan":
            return base.total / 1e4
        if name.startswith("cost_wan:"):
            return base.by_level[name.split(":")[1]] / 1e4
        if name == "not_costed":
            return len(base.not_costed)
        if name.startswith("not_costed:"):
            return sum(1 for n in base.not_costed if n.why_zh == name.split(":", 1)[1])
        if name in ("lower", "missing"):  # 存在问题 states the national comparison's
            return len(getattr(facts.comparison.comparison, name))
        raise AssertionError(key)
    compared = facts.comparison if source == "national" else facts.higher
    assert compared is not None, key
    c = compared.comparison
    how = {"same_name": "same name", "confirmed": "confirmed", "fuzzy": "fuzzy"}
    if name in how:
        return sum(1 for m in c.matched if m.how == how[name])
    if name == "reference_items":
        return len(compared.reference.items)
    if name == "threshold":
        return c.threshold
    if name == "unparsed":
        return c.unparsed_standards
    if name == "comparable":
        return len(c.lower) + len(c.equal) + len(c.higher)
    if name == "suggestions":
        return len(c.suggestions)
    return len(getattr(c, name))
