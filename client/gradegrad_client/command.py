"""The ``gradegrad`` command: the client's own commands, and those other installed packages add.

The client owns the script, so that a student who installs only ``gradegrad-client`` gets
``gradegrad login``, ``submit``, ``check``, ``status`` and ``history``. The platform registers its
operator commands (``grade``, ``serve``, ``worker``, ``check-exercises``...) under the entry-point
group ``gradegrad.commands``; they are imported only when called, so ``gradegrad login`` starts
without NumPy, Flask or Celery, and two packages never fight over one script name.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

import click

from gradegrad_client import cli

COMMANDS_GROUP = "gradegrad.commands"


def plugged_commands() -> dict[str, EntryPoint]:
    """The commands other packages register, by name (not yet imported)."""
    return {point.name: point for point in entry_points(group=COMMANDS_GROUP)}


class ComposedGroup(click.Group):
    """The client's commands plus those registered under ``gradegrad.commands``, loaded on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *plugged_commands()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in (plugged := plugged_commands()):
            command = plugged[name].load()
        return command


@click.group(cls=ComposedGroup)
def main() -> None:
    """GradeGrad: submit gradient functions to a GradeGrad server and read the feedback."""


for command in (cli.login, cli.logout, cli.submit, cli.check, cli.status, cli.history):
    main.add_command(command)
