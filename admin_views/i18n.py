"""Our Vietnamese overrides of Flask-Admin's catalogue must win over the shipped one.

Flask-Admin puts `Admin(translations_path=…)` first in the list of catalogue directories, but
Flask-Babel *merges* the catalogues in list order, so a later (shipped) entry overwrites ours, and
the result is cached per process, whether or not a view was current at the first lookup. So the
shipped catalogue is loaded first and ours last, always.
"""

from __future__ import annotations

from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


def prefer_project_catalogue() -> None:
    from flask_admin import babel, translations

    domain_class = type(babel.domain)
    if getattr(domain_class, "_project_catalogue_last", False):
        return

    def directories(self) -> list[str]:  # type: ignore[no-untyped-def]
        return [translations.__path__[0], str(TRANSLATIONS_DIR)]

    domain_class.translation_directories = property(directories)  # type: ignore[assignment,method-assign]
    domain_class._project_catalogue_last = True  # type: ignore[attr-defined]
    babel.domain.cache.clear()
