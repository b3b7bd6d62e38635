"""The grading worker: Celery tasks that grade queued submissions and re-queue lost ones."""
