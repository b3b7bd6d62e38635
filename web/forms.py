"""The web forms (Flask-WTF, so every POST carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


class SubmitForm(FlaskForm):
    source = TextAreaField("Your code")
    file = FileField("…or upload a .py file or a notebook",
                     validators=[FileAllowed(["py", "ipynb"], "Upload a .py file or an .ipynb notebook")])


class ActionForm(FlaskForm):
    """A button that changes something: just the CSRF token."""


class SettingsForm(FlaskForm):
    visible = BooleanField("Visible to students")
    opens_at = DateTimeLocalField("Opens (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    due_at = DateTimeLocalField("Due (UTC)", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    accept_late = BooleanField("Accept late submissions")
    late_penalty_per_day = FloatField("Late penalty per started day (0 to 1)", validators=[
        Optional(), NumberRange(0, 1, "Late penalty per day must be between 0 and 1")])
    max_attempts = IntegerField("Attempts allowed (empty: no limit)", validators=[
        Optional(), NumberRange(1, message="Attempts allowed must be at least 1, or empty for no limit")])
    per_hour = IntegerField("Submissions per hour (empty: no limit)", validators=[
        Optional(), NumberRange(1, message="Submissions per hour must be at least 1, or empty for no limit")])
    show_hidden_results = BooleanField("Show students the verdict of each hidden case")
    hint_every = IntegerField("Unlock a hint after this many failed attempts (0: never)", validators=[
        Optional(), NumberRange(0, message="Failed attempts per hint must be 0 or more")])


class ExtensionForm(FlaskForm):
    """A new due date for one student on one assignment (web/extensions.py checks the names)."""

    username = StringField("Student", validators=[DataRequired("Name the student")])
    assignment = StringField("Assignment", validators=[DataRequired("Name the assignment")])
    until = DateTimeLocalField("New due date (UTC)", format="%Y-%m-%dT%H:%M",
                               validators=[InputRequired("Give the new due date")])


class RosterForm(FlaskForm):
    file = FileField("Roster CSV (header: username[,role][,password])",
                     validators=[FileAllowed(["csv", "txt"], "Upload a .csv file")])
