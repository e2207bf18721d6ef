"""Writes of practice setup: members and roles, providers, fee schedule imports, the connection.

Each write is about one practice, handed in by the view after `scoped_get(..., roles=
ADMINISTRATION)`, and refuses with a `ValidationError` a person can act on, changing nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from rcm.practice.models import (
    ClearinghouseConnection,
    FeeSchedule,
    Membership,
    Payer,
    PayerRule,
    PayerRuleAction,
    Practice,
    Provider,
    Role,
    User,
)
from rcm.practice.payer_rules import code_ranges_parse
from rcm.practice.services import fee_schedule_set, membership_grant

# --- members and roles ---------------------------------------------------------------------------


def member_create(
    *,
    practice: Practice,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    role: str,
) -> User:
    """A new user with a temporary password and one role in `practice`."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken: choose another."})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        membership_grant(user=user, practice=practice, role=role)
    return user


def _administrators_locked(practice: Practice) -> set[int]:
    """The practice's administrators, their rows locked: two removals cannot both pass the check."""
    rows = Membership.objects.select_for_update().filter(
        practice=practice, role=Role.ADMINISTRATOR, user__is_active=True
    )
    return {membership.user_id for membership in rows}


def _refuse_last_administrator(practice: Practice, user: User) -> None:
    if _administrators_locked(practice) == {user.pk}:
        raise ValidationError(
            f"{user.get_full_name() or user.username} is the last administrator of "
            f"{practice.name}: make someone else an administrator first."
        )


def member_role_add(*, practice: Practice, user: User, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": "Choose one of the roles."})
    return membership_grant(user=user, practice=practice, role=role)


def member_role_remove(*, practice: Practice, user: User, role: str) -> None:
    """Take one role in `practice` from `user`; never the practice's last administrator."""
    with transaction.atomic():
        if role == Role.ADMINISTRATOR:
            _refuse_last_administrator(practice, user)
        Membership.objects.filter(user=user, practice=practice, role=role).delete()


def member_deactivate(*, practice: Practice, user: User) -> int:
    """End every role `user` holds in `practice` (other practices' memberships are not touched)."""
    with transaction.atomic():
        _refuse_last_administrator(practice, user)
        deleted, _ = Membership.objects.filter(user=user, practice=practice).delete()
    return deleted


# --- providers -----------------------------------------------------------------------------------

PROVIDER_FIELDS = ("first_name", "last_name", "credential", "npi", "taxonomy", "is_active")


def provider_save(
    *, practice: Practice, provider: Provider | None = None, **fields: Any
) -> Provider:
    """Add a provider to `practice`, or change one of its providers."""
    provider = provider or Provider(practice=practice)
    if provider.practice_id != practice.pk:
        raise ValidationError("This provider belongs to another practice.")
    for name in PROVIDER_FIELDS:
        if name in fields:
            setattr(provider, name, fields[name])
    provider.full_clean(validate_constraints=False)
    same_npi = Provider.objects.filter(practice=practice, npi=provider.npi).exclude(pk=provider.pk)
    if same_npi.exists():
        raise ValidationError({"npi": "Another provider of this practice has this NPI."})
    provider.save()
    return provider


# --- fee schedules -------------------------------------------------------------------------------

# CPT: five digits, or four and a category letter (F, T, U); HCPCS Level II: a letter, four digits.
FEE_CODE = re.compile(r"^(?:[0-9]{4}[0-9FTU]|[A-V][0-9]{4})$")
# No single procedure is billed at $100,000 or more: a larger figure is a typing mistake.
FEE_MAX = Decimal("99999.99")
FEE_CSV_MAX_BYTES = 1_000_000
FEE_CSV_MAX_ROWS = 20_000
_HEADER = ("code", "charge")


def _fee_row(line: int, row: list[str]) -> tuple[str, Decimal]:
    cells = [cell.strip() for cell in row]
    if len(cells) != 2:
        raise ValidationError(
            f"Line {line}: expected two columns, code and charge; found {len(cells)}."
        )
    code, charge_text = cells[0].upper(), cells[1].lstrip("$").replace(",", "")
    if not FEE_CODE.match(code):
        raise ValidationError(
            f"Line {line}: '{cells[0][:20]}' is not a CPT or HCPCS code "
            "(five characters, e.g. 99213 or J1100)."
        )
    try:
        charge = Decimal(charge_text)
    except InvalidOperation:
        charge = Decimal("NaN")
    if not charge.is_finite():
        raise ValidationError(f"Line {line}: the charge '{cells[1][:20]}' is not an amount.")
    if charge <= 0 or charge > FEE_MAX:
        raise ValidationError(
            f"Line {line}: the charge for {code} must be more than $0.00 and at most ${FEE_MAX:,}."
        )
    if charge != charge.quantize(Decimal("0.01")):
        raise ValidationError(f"Line {line}: the charge for {code} has more than two decimals.")
    return code, charge.quantize(Decimal("0.01"))


def fee_csv_parse(content: bytes) -> dict[str, Decimal]:
    """The charges in a `code,charge` CSV (a header row is allowed); the first bad row is named."""
    if len(content) > FEE_CSV_MAX_BYTES:
        raise ValidationError(
            "The file is larger than 1 MB: a fee schedule is a few thousand rows."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text: save it as CSV (UTF-8).") from error
    if "\x00" in text:
        raise ValidationError("The file is not a CSV text file.")
    charges: dict[str, Decimal] = {}
    first_line: dict[str, int] = {}
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise ValidationError(f"The file is not a readable CSV: {error}.") from error
    if len(rows) > FEE_CSV_MAX_ROWS:
        raise ValidationError(f"The file has more than {FEE_CSV_MAX_ROWS:,} rows.")
    for line, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if line == 1 and tuple(c.strip().lower() for c in row[:2]) == _HEADER:
            continue
        code, charge = _fee_row(line, row)
        if code in charges:
            raise ValidationError(f"Line {line}: {code} is already on line {first_line[code]}.")
        charges[code], first_line[code] = charge, line
    if not charges:
        raise ValidationError("The file has no fees: one row per code, as code,charge.")
    return charges


def fee_schedule_import(
    *,
    practice: Practice,
    name: str,
    effective_from: datetime.date,
    content: bytes,
    payer: Payer | None = None,
) -> FeeSchedule:
    """Replace (or create) the schedule starting on `effective_from` with the file's charges.

    Every row is checked before anything is written: one bad row refuses the whole file.
    """
    charges = fee_csv_parse(content)
    return fee_schedule_set(
        practice=practice, name=name, effective_from=effective_from, charges=charges, payer=payer
    )


# --- the clearinghouse connection ----------------------------------------------------------------

TRANSPORTS = ("sandbox", "sftp")
# A practice administrator may point the password only at variables the operator set aside for
# clearinghouse secrets: any other name (env:DJANGO_SECRET_KEY) would send that secret to
# whichever host the form names. The operator may use any name in the Django admin.
SECRET_PREFIX = "CLEARINGHOUSE_"  # noqa: S105 (a variable-name prefix, not a secret)
SECRET_REFERENCE = re.compile(rf"^env:{SECRET_PREFIX}[A-Z0-9_]{{1,50}}$")
SECRET_KEYS = ("password", "private_key_passphrase", "private_key")
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_DIR = re.compile(r"^/[^\x00-\x1f]{0,200}$")


def _connection_refusals(
    *, transport: str, host: str, username: str, password: str, known_host_key: str,
    outbox_dir: str, inbox_dir: str, current: dict[str, Any],
) -> dict[str, str]:  # fmt: skip
    refusals: dict[str, str] = {}
    if transport not in TRANSPORTS:
        refusals["transport"] = "Choose sandbox or SFTP."
    if password and not SECRET_REFERENCE.match(password):
        refusals["password"] = (
            "Do not type the password here. Ask the operator to put it in an environment "
            f"variable named {SECRET_PREFIX}… on the server, and enter env:{SECRET_PREFIX}NAME "
            f"(e.g. env:{SECRET_PREFIX}SFTP_PASSWORD)."
        )
    if host and not _HOST.match(host):
        refusals["host"] = "Enter the host name only, e.g. sftp.clearinghouse.example."
    for name, folder in (("outbox_dir", outbox_dir), ("inbox_dir", inbox_dir)):
        if folder and not _DIR.match(folder):
            refusals[name] = "Enter an absolute folder path, e.g. /inbound."
    if transport == "sftp":
        if not (host and username):
            refusals.setdefault("host", "An SFTP connection needs the host and the username.")
        if not (known_host_key or current.get("known_host_key")):
            refusals["known_host_key"] = (
                "An SFTP connection needs the server's public key (ssh-ed25519 AAAA…): ask the "
                "clearinghouse for it."
            )
    return refusals


def connection_save(
    *,
    practice: Practice,
    transport: str,
    host: str = "",
    port: int | None = None,
    username: str = "",
    password: str = "",
    known_host_key: str = "",
    outbox_dir: str = "",
    inbox_dir: str = "",
    submitter_id: str = "",
    receiver_id: str = "",
    is_active: bool = True,
) -> ClearinghouseConnection:
    """Set the practice's default connection (for all payers).

    Secrets are never stored: the password is a reference `env:CLEARINGHOUSE_…` to an
    environment variable on the server. A blank password or host key keeps the current one.
    """
    password, known_host_key = password.strip(), known_host_key.strip()
    with transaction.atomic():
        connection, _ = ClearinghouseConnection.objects.select_for_update().get_or_create(
            practice=practice, payer=None
        )
        config = dict(connection.config or {})
        refusals = _connection_refusals(
            transport=transport, host=host, username=username, password=password,
            known_host_key=known_host_key, outbox_dir=outbox_dir, inbox_dir=inbox_dir,
            current=config,
        )  # fmt: skip
        if refusals:
            raise ValidationError(refusals)
        config.update(
            {"host": host, "username": username, "port": port, "outbox_dir": outbox_dir,
             "inbox_dir": inbox_dir}
        )  # fmt: skip
        if password:
            config["password"] = password
        if known_host_key:
            config["known_host_key"] = known_host_key
        connection.transport = transport
        connection.config = {key: value for key, value in config.items() if value not in ("", None)}
        connection.submitter_id = submitter_id
        connection.receiver_id = receiver_id
        connection.is_active = is_active
        connection.full_clean(exclude=["practice", "payer"], validate_constraints=False)
        connection.save()
    return connection


# --- payer rules ---------------------------------------------------------------------------------

PAYER_RULE_FIELDS = (
    "payer",
    "codes",
    "place_of_service",
    "action",
    "modifier",
    "message",
    "severity",
    "is_active",
)


def payer_rule_save(
    *, practice: Practice, rule: PayerRule | None = None, **fields: Any
) -> PayerRule:
    """Add a claim rule for a payer to `practice`, or change (or deactivate) one of its rules."""
    rule = rule or PayerRule(practice=practice)
    if rule.practice_id != practice.pk:
        raise ValidationError("This rule belongs to another practice.")
    for name in PAYER_RULE_FIELDS:
        if name in fields:
            setattr(rule, name, fields[name])
    code_ranges_parse(rule.codes)  # the form cleans them; a direct caller is checked too
    if rule.action != PayerRuleAction.MODIFIER:
        rule.modifier = ""
    rule.full_clean()
    rule.save()
    return rule


def payer_rule_deactivate(*, practice: Practice, rule: PayerRule) -> PayerRule:
    """Stop the scrubber from applying a rule; it stays listed, and can be switched on again."""
    if rule.practice_id != practice.pk:
        raise ValidationError("This rule belongs to another practice.")
    rule.is_active = False
    rule.save(update_fields=["is_active"])
    return rule
