"""The student's client of a GradeGrad server: sign in, submit, follow a submission (HTTP only).

It holds no exercise, reference, case or sandbox code: a student installs it to talk to a server.
"""
