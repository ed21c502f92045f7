"""Where the local records live.

The data folder is, in order of precedence: the `--data-dir` command-line value, the `SPC_DATA_DIR`
environment variable, or the platform's user data folder (platformdirs). Each data folder holds more
than one database: `records.db` for real work and `training.db` for the training workspace, so
fictional cases never mix with real ones. Backups go in `<data folder>/backups/`.

Pure Python: nothing here touches the database or creates folders (the store does that on open).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "SafeguardingPracticeChecklists"
ENV_VAR = "SPC_DATA_DIR"
RECORDS_FILE = "records.db"
TRAINING_FILE = "training.db"
BACKUPS_FOLDER = "backups"


def default_data_dir() -> Path:
    """The platform's per-user data folder for the app (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(override: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The data folder to use: `override` (from --data-dir), else $SPC_DATA_DIR, else the default.

    `~` is expanded and the result made absolute so messages name a full path.
    """
    environ = os.environ if env is None else env
    chosen: str | os.PathLike[str] | None = override
    if chosen is None or str(chosen).strip() == "":
        chosen = environ.get(ENV_VAR) or None
    if chosen is None or str(chosen).strip() == "":
        return default_data_dir()
    return Path(chosen).expanduser().absolute()


def database_path(data_dir: str | os.PathLike[str], training: bool = False) -> Path:
    """The database file inside `data_dir`: training.db for the training workspace, else records.db."""
    return Path(data_dir) / (TRAINING_FILE if training else RECORDS_FILE)


def backups_dir(data_dir: str | os.PathLike[str]) -> Path:
    """The folder that holds rotating backups of every database in `data_dir`."""
    return Path(data_dir) / BACKUPS_FOLDER
