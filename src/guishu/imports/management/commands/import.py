"""`guishu import FILE [--dry-run]`: customers, contacts or activities from a spreadsheet,
with a progress bar on standard error and the summary on standard output."""

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from guishu.accounts.models import User
from guishu.domain import Role
from guishu.imports.models import ImportJob, Kind
from guishu.imports.services import (
    ImportReport,
    import_commit,
    import_mapping_of,
    import_preview,
    import_upload,
)
from guishu.pools.models import Pool

PHASES = {
    "reading": "reading",
    "checking": "checking",
    "matching": "matching",
    "writing": "writing",
}


class ProgressBar:
    """A one-line bar redrawn in place: `matching [#########.........]  45% 45,000/100,000`.
    At most ten redraws a second; each phase ends with its own line."""

    def __init__(self, out: OutputWrapper, width: int = 30) -> None:
        self.out = out
        self.width = width
        self.phase = ""
        self.drawn = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self.phase:
            if self.phase:
                self.out.write("", ending="\n")
            self.phase = phase
        elif now - self.drawn < 0.1 and done != total:
            return
        self.drawn = now
        label = PHASES.get(phase, phase).ljust(9)
        if total:
            filled = int(self.width * min(done, total) / total)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"\r{label}[{bar}] {100 * done // total:3d}% {done:,}/{total:,}"
        else:
            line = f"\r{label}{done:,} rows"
        self.out.write(line, ending="")
        self.out.flush()

    def close(self) -> None:
        if self.phase:
            self.out.write("", ending="\n")
            self.out.flush()
            self.phase = ""


class Command(BaseCommand):
    help = (
        "Import customers, contacts or activities from a .xlsx, .xls or .csv file. Headers in "
        "English or Chinese are recognised (and the mapping last saved for the company is "
        "used). --dry-run previews: nothing is written. All or nothing unless --skip-invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Preview; write nothing.")
        parser.add_argument("--kind", choices=Kind.values, default=Kind.CUSTOMERS)
        parser.add_argument(
            "--as",
            dest="username",
            help="Who imports (default: the only administrator).",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and skip the others (default: all or nothing).",
        )
        owners = parser.add_mutually_exclusive_group()
        owners.add_argument(
            "--owner-column",
            action="store_true",
            help="Customers go to the person the owner column names (managers and admins).",
        )
        owners.add_argument("--pool", metavar="NAME", help="Customers go to this pool.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = self._user(options["username"])
        rule, pool_id = self._rule(user, options)
        bar = ProgressBar(self.stderr)
        started = time.perf_counter()
        try:
            job = import_upload(
                user=user, kind=options["kind"], filename=path.name, data=path.read_bytes()
            )
            self._check_mapping(job)
            if options["dry_run"]:
                report = import_preview(
                    user=user, job_id=job.pk, owner_rule=rule, pool_id=pool_id, progress=bar
                )
            else:
                mode = (
                    ImportJob.Mode.SKIP_INVALID
                    if options["skip_invalid"]
                    else ImportJob.Mode.ALL_OR_NOTHING
                )
                report = import_commit(
                    user=user,
                    job_id=job.pk,
                    mode=mode,
                    owner_rule=rule,
                    pool_id=pool_id,
                    progress=bar,
                )
        except (ValidationError, PermissionDenied) as error:
            bar.close()
            raise CommandError(_messages(error)) from error
        bar.close()
        self._summary(report, time.perf_counter() - started)
        if not options["dry_run"] and not report.written:
            raise CommandError(report.message)

    def _user(self, username: str | None) -> User:
        if username:
            found = User.objects.filter(username=username, is_active=True).first()
            if found is None:
                raise CommandError(f"no active user {username!r}")
            return found
        admins = list(User.objects.filter(role=Role.ADMIN, is_active=True)[:2])
        if len(admins) != 1:
            raise CommandError("say who imports: --as USERNAME")
        return admins[0]

    def _rule(self, user: User, options: dict[str, Any]) -> tuple[str | None, int | None]:
        if options["kind"] != Kind.CUSTOMERS:
            return None, None
        if options["pool"]:
            pool = Pool.objects.filter(name=options["pool"]).first()
            if pool is None:
                names = ", ".join(Pool.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"no pool {options['pool']!r} (pools: {names})")
            return ImportJob.OwnerRule.POOL, pool.pk
        if options["owner_column"]:
            return ImportJob.OwnerRule.OWNER_COLUMN, None
        if user.role in (Role.REP, Role.MANAGER):
            return ImportJob.OwnerRule.IMPORTER, None
        return None, None  # the job's default: the owner column when there is one, else the pool

    def _check_mapping(self, job: ImportJob) -> None:
        mapping = import_mapping_of(job)
        for header, field_name, origin in zip(
            mapping.headers, mapping.fields, mapping.origins, strict=True
        ):
            shown = field_name or "-"
            self.stderr.write(f"  {header or '(no header)'} -> {shown} ({origin})")
        if mapping.missing:
            wanted = "; ".join(" or ".join(group) for group in mapping.missing)
            raise CommandError(f"no column holds: {wanted}")

    def _summary(self, report: ImportReport, seconds: float) -> None:
        counts = report.counts
        rows = counts.get("rows", 0)
        self.stdout.write(report.message)
        for name, value in counts.items():
            if value and name != "rows":
                self.stdout.write(f"  {name}: {value:,}")
        for problem in report.problems[:20]:
            column = f", {problem['column']}" if problem["column"] else ""
            shown = f" “{problem['value']}”" if problem["value"] else ""
            self.stdout.write(f"  row {problem['row']}{column}:{shown} {problem['reason']}")
        if len(report.problems) > 20:
            self.stdout.write(f"  ... and {len(report.problems) - 20:,} more")
        self.stdout.write(
            f"{rows:,} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} rows/s); "
            f"import {report.job.pk}, {report.job.status}"
        )


def _messages(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    return "; ".join(error.messages)
