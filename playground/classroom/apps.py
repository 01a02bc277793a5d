from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "playground.classroom"

    def ready(self) -> None:
        from playground.classroom.access import sees_course_run
        from playground.runs.access import VIEWER_RULES

        if sees_course_run not in VIEWER_RULES:
            VIEWER_RULES.append(sees_course_run)
