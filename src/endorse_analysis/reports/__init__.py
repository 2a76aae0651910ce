"""The Papermill machinery: a run's plan, warm kernels, execution, HTML export, the index,
the manifest and `verify`. The report notebooks ship here as package data (notebooks/)."""

from endorse_analysis.reports.manifest import verify
from endorse_analysis.reports.names import RenderError, safe_name
from endorse_analysis.reports.run import render_race, render_wave

__all__ = ["RenderError", "render_race", "render_wave", "safe_name", "verify"]
