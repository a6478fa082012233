"""Charts for the owners' pages: what Chart.js draws, and the same figures as a table for those
who cannot see the chart (screen readers, print)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Chart:
    """One chart: `labels` along the x axis, one series per dataset."""

    id: str
    title: str
    labels: list[str]
    datasets: list[tuple[str, list]] = field(default_factory=list)
    type: str = "line"
    stacked: bool = False
    percent: bool = False  # values are shares from 0 to 1, shown as percentages
    x_title: str = ""

    def spec(self) -> dict:
        """What static/moderation/charts.js passes to Chart.js."""
        return {
            "type": self.type,
            "labels": self.labels,
            "datasets": [{"label": label, "data": data} for label, data in self.datasets],
            "stacked": self.stacked,
            "percent": self.percent,
            "xTitle": self.x_title,
        }

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table behind the chart: one row per label, one cell per dataset."""
        return [
            (label, [self._cell(data[index]) for _, data in self.datasets])
            for index, label in enumerate(self.labels)
        ]

    def _cell(self, value) -> str:
        if value is None:
            return "–"
        if self.percent:
            return f"{value * 100:.1f} %"
        return f"{value:g}" if isinstance(value, float) else str(value)
