"""The ``gradegrad`` command: the client's own commands, and those other installed packages add.

The client owns the script, so that a student who installs only ``gradegrad-client`` gets
``gradegrad login``, ``submit``, ``check``, ``status`` and ``history``. The platform registers its
operator commands (``grade``, ``serve``, ``worker``, ``check-exercises``...) under the entry-point
group ``gradegrad.commands``; they are imported only when called, so ``gradegrad login`` starts
without NumPy, Flask or Celery, and two packages never fight over one script name.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Any

import click

from gradegrad_client import cli

COMMANDS_GROUP = "gradegrad.commands"


def plugged_commands(group: str = COMMANDS_GROUP) -> dict[str, EntryPoint]:
    """The commands other packages register under ``group``, by name (not yet imported)."""
    return {point.name: point for point in entry_points(group=group)}


class ComposedGroup(click.Group):
    """The client's commands plus those registered under ``plugins`` (``gradegrad.commands``), loaded on use."""

    def __init__(self, *args: Any, plugins: str = COMMANDS_GROUP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plugins = plugins

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *plugged_commands(self.plugins)})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in (plugged := plugged_commands(self.plugins)):
            command = plugged[name].load()
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                            list[str]]:
        """An unknown command in a client-only install: say where the operator commands come from."""
        name = args[0]
        if (not ctx.resilient_parsing and not name.startswith("-") and not plugged_commands(self.plugins)
                and self.get_command(ctx, name) is None):
            ctx.fail(f"No such command '{name}'. The operator commands (grade, serve, worker, db, create-user...) "
                     "come with the GradeGrad platform, not with gradegrad-client; "
                     f"this client's commands are {', '.join(self.list_commands(ctx))}.")
        return super().resolve_command(ctx, args)


@click.group(cls=ComposedGroup)
def main() -> None:
    """GradeGrad: submit gradient functions to a GradeGrad server and read the feedback."""


for command in (cli.login, cli.logout, cli.submit, cli.check, cli.status, cli.history):
    main.add_command(command)
