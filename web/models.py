"""The service's tables: users and tokens, published exercises, submissions and their results."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, cast

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("student", "instructor")


class Status(StrEnum):
    """Where a submission is: waiting for a worker, being graded, graded, or failed by the grader."""

    QUEUED = "queued"
    RUNNING = "running"
    GRADED = "graded"
    ERROR = "error"


IN_FLIGHT = (Status.QUEUED, Status.RUNNING)
FINISHED = (Status.GRADED, Status.ERROR)


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements built once (see worker/grading.py)."""
    return cast(Table, model.__table__)


def utcnow() -> datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is naive UTC on both databases."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(UserMixin, Base):
    """session_version: part of every signed-in session (see get_id); raising it ends them all.

    active: False once an instructor deactivated the account: no sign-in, no API token works, and the
    submissions stay, listed as an inactive student's.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="student")
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"

    @property
    def is_active(self) -> bool:
        """Flask-Login's flag: login_user() refuses a deactivated user."""
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: the id and the session version it was signed in under."""
        return f"{self.id}.{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r} {self.role}>"


class ApiToken(Base):
    """An API token; only its SHA-256 is stored, the token itself is shown once.

    expires_at: None never expires (tokens issued before expiry existed); revoked_at: set once revoked.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of user {self.user_id}>"


class FailedSignIn(Base):
    """One failed sign-in, or one being checked, kept for the sign-in throttle's window (web/throttle.py)."""

    __tablename__ = "failed_sign_ins"
    __table_args__ = (
        Index("ix_failed_sign_ins_username_at", "username", "at"),
        Index("ix_failed_sign_ins_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CourseExercise(Base):
    """A catalogue exercise as published in the course: when, how often, what students see.

    late_penalty_per_day: the fraction of the score lost per started day late; None refuses
    late submissions. max_attempts and per_hour: None means no limit. hint_every: a student's
    failed graded attempts that unlock each next hint of the exercise (0: hints stay locked).
    """

    __tablename__ = "course_exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    late_penalty_per_day: Mapped[float | None] = mapped_column(Float, default=0.1)
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    per_hour: Mapped[int | None] = mapped_column(Integer, default=30)
    show_hidden_results: Mapped[bool] = mapped_column(Boolean, default=True)
    hint_every: Mapped[int] = mapped_column(Integer, default=3, server_default="3")

    def __repr__(self) -> str:
        return f"<CourseExercise {self.id} {self.name!r}>"


class Extension(Base):
    """A new due date for one student on one assignment (course.toml's name for it), replacing the assignment's
    or its exercises' due date for that student only; the late penalty then counts from it (web/late.py)."""

    __tablename__ = "extensions"
    __table_args__ = (UniqueConstraint("user_id", "assignment", name="uq_extensions_user_assignment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    assignment: Mapped[str] = mapped_column(String(80))
    due_at: Mapped[datetime] = mapped_column(DateTime)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Extension {self.id} of user {self.user_id} on {self.assignment!r} until {self.due_at}>"


class Submission(Base):
    """One attempt: the source, the seed of its hidden suite, and where grading stands.

    status: queued -> running -> graded (whatever the score, a student's failure included)
    or error (grading could not finish). task_id names the Celery task that holds the row, or is None
    while no task was sent for it (the broker was down); worker names the worker run that claimed it.
    charged: whether the row counts against the attempts and the hourly limit. It does from the
    moment it is queued; only a grading the host failed (sandbox unavailable, database down, the
    task's own time limit) sets it false, a failure the submission provoked leaves it true.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_user_exercise", "user_id", "exercise_id"),
        Index("ix_submissions_status_queued_at", "status", "queued_at"),
        # The sweep looks every second for queued rows whose task was never sent: this index holds only those.
        Index("ix_submissions_unsent", "queued_at", sqlite_where=text("status = 'queued' AND task_id IS NULL"),
              postgresql_where=text("status = 'queued' AND task_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("course_exercises.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255), default="submission.py")
    source: Mapped[str] = mapped_column(Text)
    seed: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=Status.QUEUED)
    queue: Mapped[str] = mapped_column(String(16), default="live")
    task_id: Mapped[str | None] = mapped_column(String(64))
    worker: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    graded_at: Mapped[datetime | None] = mapped_column(DateTime)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What of the upload is not graded, and why (grader.definitions): known when it is read, before grading.
    notes: Mapped[list[str] | None] = mapped_column(JSON)
    charged: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    user: Mapped[User] = relationship()
    exercise: Mapped[CourseExercise] = relationship()
    cases: Mapped[list[CaseResult]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="CaseResult.position")

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.status} score={self.score}>"


class WorkerHeartbeat(Base):
    """A grading worker's run, alive while beat_at is recent: the worker writes it every second (worker/heartbeat.py).

    name: the worker's node name and a random suffix of this run, so that a worker restarted under the same
    node name is not taken for the one that died.
    """

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<WorkerHeartbeat {self.name!r} at {self.beat_at}>"


class CaseResult(Base):
    """The verdict on one hidden case, with the hint and the named mistake it matched."""

    __tablename__ = "case_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    passed: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    hint: Mapped[str | None] = mapped_column(Text)
    mistake: Mapped[str | None] = mapped_column(String(120))
    traceback: Mapped[str | None] = mapped_column(Text)

    submission: Mapped[Submission] = relationship(back_populates="cases")

    def __repr__(self) -> str:
        return f"<CaseResult {self.submission_id}/{self.position} passed={self.passed}>"


class Regrade(Base):
    """The audit of one regrade: who asked, when, and the score before and after."""

    __tablename__ = "regrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    old_score: Mapped[float | None] = mapped_column(Float)
    old_passed: Mapped[bool | None] = mapped_column(Boolean)
    new_score: Mapped[float | None] = mapped_column(Float)
    new_passed: Mapped[bool | None] = mapped_column(Boolean)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    requested_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Regrade {self.id} of submission {self.submission_id}: {self.old_score} -> {self.new_score}>"


class SampleCheck(Base):
    """A check of code against the exercise's public samples alone: no attempt, no score, no gradebook.

    A table of its own rather than a kind of submission, so that nothing that counts, lists or
    grades submissions (attempts, the hourly limit, history, the gradebook, statistics, regrades,
    the sweep) can take a check for one. status follows Status; report holds CheckReport.to_dict().
    A student's checks are kept an hour (web/checks.py).
    """

    __tablename__ = "sample_checks"
    __table_args__ = (Index("ix_sample_checks_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("course_exercises.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=Status.QUEUED)
    task_id: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    exercise: Mapped[CourseExercise] = relationship()

    def __repr__(self) -> str:
        return f"<SampleCheck {self.id} {self.status} passed={self.passed}>"
