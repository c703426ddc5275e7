"""A claim lock belongs to its user: nobody else can redirect its writes or block runs.

Defect: claims lived in ``$TMPDIR/bench-claims-<uid>``, created with ``exist_ok`` and its
owner never checked; the lock file was opened with ``a+``, truncated and written. A user
who made that folder first could plant a symlink there, and the next run truncated the
file it pointed to (a root-owned file rewritten to a pid), or hold the locks and block
every run. Now claims live with the results in a folder of the user's own, lock files
are created afresh or opened without following symlinks and never truncated, and a
claims folder of another user is not used. The tests run as root and make the other
user's files ``nobody``'s (uid 65534), with a process of that user holding a lock.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from benchmark.runs import claims
from benchmark.runs.harness import RunConfig, run_benchmark
from test_harness import write_corpus  # tests/ is on sys.path

NOBODY = 65534
PRECIOUS = "precious, not a pid\n"
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="making files of another user needs root")


@pytest.fixture
def setting(tmp_path, monkeypatch):
    """A corpus, a results folder, a victim file of this user's, the user's own cache
    folder in tmp_path, and the claim name each run of the configuration uses."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    names: list[str] = []
    real_name = claims._name

    def recording(root, key):
        names.append(real_name(root, key))
        return names[-1]

    monkeypatch.setattr(claims, "_name", recording)
    config = RunConfig(model="lead-3", dataset=write_corpus(tmp_path / "c.jsonl", 3),
                       output_dir=tmp_path / "results")
    run_benchmark(config)  # learns the name; a finished run is never resumed
    victim = tmp_path / "victim.txt"
    victim.write_text(PRECIOUS)
    return config, victim, names[-1]


def test_a_planted_symlink_is_neither_followed_nor_blocking(setting):
    config, victim, name = setting
    folder = config.output_dir / claims.CLAIMS_FOLDER
    for planted in (folder / f"{name}.lock", folder / f"{name}.pid"):
        planted.unlink(missing_ok=True)  # the lock file stays after a run: replace it
        planted.symlink_to(victim)
    outcome = run_benchmark(config)
    assert outcome.run.record.status == "complete"
    assert victim.read_text() == PRECIOUS
    assert not (folder / f"{name}.lock").is_symlink()


def test_claims_are_kept_in_a_private_folder_with_the_results(setting):
    config, _, _ = setting
    info = os.lstat(config.output_dir / claims.CLAIMS_FOLDER)
    assert stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == os.geteuid()


def hold_lock_as_nobody(path: Path) -> subprocess.Popen:
    """A process of user nobody holding an exclusive flock on `path` (the file opened
    here and handed over, so that nobody needs no way to reach it)."""
    flock = shutil.which("flock")
    if flock is None:
        pytest.skip("needs util-linux's flock to hold a lock as another user")
    fd = os.open(path, os.O_RDWR)
    try:
        holder = subprocess.Popen(
            ["/bin/sh", "-c", f'{flock} -x "$0" && echo held && exec sleep 60', str(fd)],
            user=NOBODY, pass_fds=(fd,), stdout=subprocess.PIPE, text=True)
    finally:
        os.close(fd)
    assert holder.stdout.readline().strip() == "held"
    return holder


def nobodys(path: Path, mode: int) -> Path:
    os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
    if not path.is_symlink():
        os.chmod(path, mode)
    return path


@needs_root
def test_another_users_claims_folder_is_not_used(setting, tmp_path):
    """The results folder is shared (world-writable, sticky) and another user made
    ``.claims`` there first, with a symlink to this user's file and a lock file they
    hold: the run neither writes through the symlink nor waits for their lock."""
    config, victim, name = setting
    os.chmod(config.output_dir, 0o1777)
    folder = config.output_dir / claims.CLAIMS_FOLDER
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.mkdir()
    nobodys(folder, 0o777)
    (folder / f"{name}.pid").symlink_to(victim)
    nobodys(folder / f"{name}.pid", 0)
    lock = folder / f"{name}.lock"
    lock.write_text("nobody's\n")
    nobodys(lock, 0o666)
    holder = hold_lock_as_nobody(lock)
    try:
        outcome = run_benchmark(config)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert outcome.run.record.status == "complete"
    assert victim.read_text() == PRECIOUS and lock.read_text() == "nobody's\n"
    own = tmp_path / "cache" / "bench" / "claims"
    assert stat.S_IMODE(os.lstat(own).st_mode) == 0o700  # where the claim went instead


@needs_root
def test_a_temporary_folder_made_by_another_user_is_ignored(setting, tmp_path,
                                                             monkeypatch):
    """Where claims used to live: another user's ``bench-claims-<uid>`` in the temporary
    folder, holding the lock file of this configuration, changes nothing."""
    config, victim, name = setting
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    os.chmod(temporary, 0o1777)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    old = temporary / f"bench-claims-{os.getuid()}"
    old.mkdir()
    nobodys(old, 0o777)
    lock = old / f"{name}.lock"
    lock.write_text("nobody's\n")
    nobodys(lock, 0o666)
    holder = hold_lock_as_nobody(lock)
    try:
        outcome = run_benchmark(config)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert outcome.run.record.status == "complete"
    assert lock.read_text() == "nobody's\n"
