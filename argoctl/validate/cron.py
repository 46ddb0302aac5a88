"""CronWorkflow schedule syntax: checked by the parser the schedulers use (``argoctl.cron.schedule``,
robfig/cron v3's ``ParseStandard``), so that what validates is exactly what can run."""

from __future__ import annotations

DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})


def schedule_error(schedule: str) -> str:
    """Why ``schedule`` is not a valid cron line (robfig/cron's message), or ``""``."""
    from argoctl.cron.schedule import schedule_error as robfig_error  # a CronWorkflow's only (start-up time)

    return robfig_error(schedule)
