"""The data quality page names its regions and writes its rates as percentages."""

from __future__ import annotations

import re


def test_regions_by_name_and_rates_in_percent(client, yongchuan_plan) -> None:  # noqa: ANN001
    api = client.get(f"/api/plans/{yongchuan_plan['id']}/quality").json()
    row = next(r for r in api["by_region"] if r["region"] == "500118")
    for lang in ("zh", "en"):
        page = client.get(f"/plans/{yongchuan_plan['id']}/quality?lang={lang}").text
        body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]  # the table by region
        cells = re.findall(r"<td>(.*?)</td>", body, flags=re.S)
        assert cells[0].startswith("永川区") and "500118" in cells[0]
        # the reporting rate as the API's share, written as a percentage
        assert f"{row['reporting_rate'] * 100:.1f}%" in cells
