"""``python -m gradegrad_client``: the ``gradegrad`` command, for when the script is not on PATH."""

from gradegrad_client.command import main

main()
