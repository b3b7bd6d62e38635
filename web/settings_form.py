"""An exercise's course settings (dates, late policy, limits, visibility, hints) to and from the form."""

from __future__ import annotations

from web.forms import SettingsForm
from web.models import CourseExercise


def settings_form(published: CourseExercise) -> SettingsForm:
    form = SettingsForm(obj=published)
    form.accept_late.data = published.late_penalty_per_day is not None
    if published.late_penalty_per_day is None:
        form.late_penalty_per_day.data = 0.1
    return form


def apply_settings(published: CourseExercise, form: SettingsForm) -> None:
    published.visible = form.visible.data
    published.opens_at, published.due_at = form.opens_at.data, form.due_at.data
    published.late_penalty_per_day = (form.late_penalty_per_day.data or 0.0) if form.accept_late.data else None
    published.max_attempts, published.per_hour = form.max_attempts.data, form.per_hour.data
    published.show_hidden_results = form.show_hidden_results.data
    if form.hint_every.data is not None:  # a form from before the setting existed leaves it as it was
        published.hint_every = form.hint_every.data
