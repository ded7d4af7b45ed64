"""Import jobs: one uploaded spreadsheet, its column mapping, its preview and what it wrote;
and the column mappings a company's users adjusted, remembered for the next file."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    CONTACTS = "contacts", _("Contacts")
    ACTIVITIES = "activities", _("Activities")


class ImportJob(models.Model):
    """One uploaded file on its way in: uploaded, previewed (nothing written but this row),
    imported (or failed, with the reason).

    The file is kept under GUISHU_VAR_DIR/imports/ (`stored_path`), so a failed import loses
    nothing and can be run again. `mapping` is the header -> field mapping in use; `counts`
    how the rows were judged (new, duplicate_in_file, collision, pool_match, already_yours,
    possible_match, owned, refused, invalid) and, after the commit, imported and skipped;
    `problems` the first rows that cannot be imported, with the cell and the reason;
    `samples` the first rows of each kind of outcome, as the uploader may see them (another
    rep's customer's contact details are masked). `progress_done` of `progress_total` rows
    have passed the current `phase`, for a page to poll.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        PREVIEWING = "previewing", _("previewing")
        PREVIEWED = "previewed", _("previewed")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("all or nothing")
        SKIP_INVALID = "skip_invalid", _("skip invalid rows")

    class OwnerRule(models.TextChoices):
        IMPORTER = "importer", _("the importing rep registers them")
        OWNER_COLUMN = "owner_column", _("by the owner column")
        POOL = "pool", _("to the pool")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    uploaded_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="import_jobs", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    stored_path = models.CharField(
        max_length=500, help_text="Where the file is kept, relative to GUISHU_VAR_DIR."
    )
    headers = models.JSONField(default=list, help_text="The header row as read.")
    same_file_as = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An earlier import of the very same file (same SHA-256), if any.",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED
    )
    mode = models.CharField(
        _("mode"), max_length=16, choices=Mode.choices, default=Mode.ALL_OR_NOTHING
    )
    owner_rule = models.CharField(
        _("ownership"), max_length=16, choices=OwnerRule.choices, default=OwnerRule.IMPORTER
    )
    pool = models.ForeignKey(
        "pools.Pool",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pool"),
    )
    mapping = models.JSONField(_("column mapping"), default=dict)
    mapping_origins = models.JSONField(
        default=list,
        help_text="Where each column's field came from: saved, user, auto, unknown, duplicate.",
    )
    phase = models.CharField(max_length=16, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    samples = models.JSONField(default=dict)
    error = models.TextField(_("error"), blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["uploaded_by", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.kind}) {self.file_name}"


class ImportMapping(models.Model):
    """The header -> field mapping a user last confirmed for one kind of import, proposed
    again for the next file (there is one company per installation)."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, unique=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    updated_by = models.ForeignKey(
        "accounts.User", models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")

    def __str__(self) -> str:
        return f"{self.kind} mapping"
