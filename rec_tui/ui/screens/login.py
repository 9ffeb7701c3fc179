"""The login form: an account on Twilio, SignalWire or any Twilio-compatible URL, checked, then saved.

Nothing is saved until one light request (``client.check_credentials``: one recording) has
succeeded; a refusal is shown with the service's own message. Then the secret goes into the OS
keyring (a plaintext backend only after the user agrees) and the profile, without it, into
``profiles.toml``. The screen dismisses with a :class:`~rec_tui.ui.profiles.LoginResult`, or None.

If twilio-cli's ``~/.twilio-cli/config.json`` holds profiles not yet imported, the form offers to
import them (:class:`TwilioImportScreen`).

The secret field is masked, never copied to the clipboard, and emptied once the login is done;
the value is wrapped in a :class:`~rec_tui.credentials.Secret` as it is read.
"""

from __future__ import annotations

import asyncio
import logging

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, HorizontalGroup, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Select, SelectionList, Static

from rec_tui.api import ApiError, AuthenticationError
from rec_tui.api.providers import custom_endpoint, signalwire_endpoint, twilio_endpoint
from rec_tui.api.sids import short_sid
from rec_tui.config import (
    TWILIO_REGION_DEFAULT_EDGE,
    ConfigError,
    ImportedProfile,
    Profile,
    TwilioCliImport,
    import_twilio_cli,
    make_profile,
    validate_profile,
)
from rec_tui.credentials import CredentialsError, KeyringUnavailable, Secret, keyring_status
from rec_tui.ui.formatting import error_link, literal
from rec_tui.ui.profiles import LoginResult, keyring_permission, save_profile
from rec_tui.ui.screens.keyring import NoKeyringScreen
from rec_tui.ui.widgets.app_header import AppHeader

log = logging.getLogger("rec_tui.ui")

PROVIDER_CHOICES = (("Twilio", "twilio"), ("SignalWire", "signalwire"), ("Custom URL (e.g. the emulator)", "custom"))
AUTH_CHOICES = (("Auth Token", "auth_token"), ("API Key SID + secret", "api_key"))

#: The text fields: (field, label, placeholder). Labels and placeholders of some change with the
#: provider (see ``_relabel``).
TEXT_FIELDS = (
    ("name", "Profile name", "e.g. prod"),
    ("account_sid", "Account SID", "AC… (34 characters)"),
    ("api_key_sid", "API Key SID", "SK… (34 characters)"),
    ("secret", "Auth Token", "hidden as you type"),
    ("region", "Region", "optional, e.g. au1 (default: us1)"),
    ("edge", "Edge", "optional, e.g. sydney (default: the region's)"),
    ("space", "Space", "example for example.signalwire.com"),
    ("base_url", "Base URL", "e.g. http://127.0.0.1:8765"),
)
#: Which fields each provider uses (besides name, account_sid and secret).
PROVIDER_FIELDS = {
    "twilio": {"auth_method", "region", "edge"},
    "signalwire": {"space"},
    "custom": {"auth_method", "base_url"},
}
ALL_FIELDS = ("name", "provider", "account_sid", "auth_method", "api_key_sid", "secret", "region", "edge",
              "space", "base_url")


class SecretInput(Input):
    """A masked input whose value never leaves it by copy or cut."""

    def __init__(self, **kwargs) -> None:
        super().__init__(password=True, **kwargs)

    def action_copy(self) -> None:
        raise SkipAction()

    def action_cut(self) -> None:
        raise SkipAction()


class LoginScreen(Screen[LoginResult | None]):
    """Log in to an account; ``profile`` prefills the form (to store that profile's secret again).

    ``profile_name`` (``rec-tui login --profile NAME``): the name field says NAME; if a profile of
    that name exists, the form is that profile's, and logging in replaces its secret.
    """

    BINDING_GROUP_TITLE = "Log in"
    BINDINGS = [
        Binding("ctrl+s", "submit", "Log in", tooltip="check the credentials, then save the profile"),
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+t", "import_twilio_cli", "Import from twilio-cli",
                tooltip="copy twilio-cli's profiles, their secrets into the OS keyring"),
    ]

    def __init__(self, *, profile: Profile | None = None, profile_name: str | None = None) -> None:
        super().__init__()
        self.prefill = profile
        self.profile_name = profile_name
        self.twilio_cli: TwilioCliImport | None = None
        self.importable: tuple[ImportedProfile, ...] = ()
        self._checked_values: dict[str, object] = {}
        self._saving = False

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader("Log in")
        with Center(id="login-center"):
            with Vertical(id="login-form"):
                yield Static("Log in to a Twilio or SignalWire account", classes="dialog-title")
                with HorizontalGroup(id="login-import-offer"):
                    yield Static(id="login-import-text")
                    yield Button("Import…", id="import", compact=True)
                with VerticalScroll(id="login-fields"):
                    yield from self._row("name")
                    yield from self._select_row("provider", "Provider", PROVIDER_CHOICES, "twilio")
                    yield from self._row("account_sid")
                    yield from self._select_row("auth_method", "Sign in with", AUTH_CHOICES, "auth_token")
                    for name in ("api_key_sid", "secret", "region", "edge", "space", "base_url"):
                        yield from self._row(name)
                yield Static(id="login-host")
                with HorizontalGroup(id="login-status-row"):
                    yield LoadingIndicator(id="login-spinner")
                    yield Static(id="login-status")
                with HorizontalGroup(classes="dialog-buttons"):
                    yield Button("Log in", variant="primary", id="login", compact=True)
                    yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True, show_command_palette=False)

    def _row(self, name: str) -> ComposeResult:
        _, label, placeholder = next(field for field in TEXT_FIELDS if field[0] == name)
        with HorizontalGroup(classes="login-row", id=f"row-{name}"):
            yield Label(label, classes="login-label", id=f"label-{name}")
            options = dict(placeholder=placeholder, id=f"login-{name}", compact=True)
            if name == "secret":
                yield SecretInput(**options)
            elif name == "region":
                yield Input(suggester=SuggestFromList(TWILIO_REGION_DEFAULT_EDGE), **options)
            elif name == "edge":
                yield Input(suggester=SuggestFromList(TWILIO_REGION_DEFAULT_EDGE.values()), **options)
            else:
                yield Input(**options)
        yield Static(id=f"error-{name}", classes="field-error login-error")

    def _select_row(self, name: str, label: str, choices, value: str) -> ComposeResult:
        with HorizontalGroup(classes="login-row", id=f"row-{name}"):
            yield Label(label, classes="login-label")
            yield Select(choices, value=value, allow_blank=False, compact=True, id=f"login-{name}")
        yield Static(id=f"error-{name}", classes="field-error login-error")

    def on_mount(self) -> None:
        self.query_one("#login-import-offer").display = False
        self.query_one("#login-spinner").display = False
        for name in ALL_FIELDS:
            self.query_one(f"#error-{name}").display = False
        profiles = getattr(self.app, "profiles", None)
        if self.prefill is None and self.profile_name and profiles is not None and self.profile_name in profiles:
            self.prefill = profiles.get(self.profile_name)
            self._fill(self.prefill, f"Profile {self.prefill.name} exists: logging in replaces its "
                                     f"{self.prefill.secret_label} in the OS keyring (and its settings).")
        elif self.prefill is not None:
            self._fill(self.prefill)
        elif self.profile_name:
            self.query_one("#login-name", Input).value = self.profile_name
        elif profiles is not None and not len(profiles):
            self.query_one("#login-name", Input).value = "default"
        self._relabel()
        self._show_host()
        first = "secret" if self.prefill is not None else ("account_sid" if self.value("name") else "name")
        self.query_one(f"#login-{first}").focus()
        self._look_around()

    def _fill(self, profile: Profile, status: str | None = None) -> None:
        self.query_one("#login-provider", Select).value = profile.provider
        self.query_one("#login-auth_method", Select).value = profile.auth_method
        for name in ("name", "account_sid", "api_key_sid", "region", "edge", "space", "base_url"):
            self.query_one(f"#login-{name}", Input).value = getattr(profile, name) or ""
        self._show_status(status or
                          f"No secret is stored for profile {profile.name}: enter its {profile.secret_label}.")

    # -- reading the form -----------------------------------------------------------------

    def value(self, name: str) -> str:
        widget = self.query_one(f"#login-{name}")
        return str(widget.value)  # type: ignore[attr-defined]

    @property
    def provider(self) -> str:
        return str(self.query_one("#login-provider", Select).value)

    def _used(self, name: str) -> bool:
        """Whether ``name`` applies to the chosen provider and auth method."""
        if name in ("name", "provider", "account_sid", "secret"):
            return True
        used = PROVIDER_FIELDS[self.provider]
        if name == "api_key_sid":
            return "auth_method" in used and self.value("auth_method") == "api_key"
        return name in used

    def profile(self) -> Profile:
        """The profile the form describes (not validated)."""
        def field(name: str) -> str | None:
            return self.value(name) if self._used(name) else None

        return make_profile(
            self.value("name"), self.provider, account_sid=field("account_sid"),
            auth_method=field("auth_method") or "auth_token", api_key_sid=field("api_key_sid"),
            region=field("region"), edge=field("edge"), space=field("space"), base_url=field("base_url"),
        )

    def errors(self, profile: Profile) -> dict[str, str]:
        errors = validate_profile(profile)
        if not self.query_one("#login-secret", Input).value.strip():
            errors["secret"] = f"enter the {profile.secret_label}"
        if "name" not in errors and profile.name in self.app.profiles and not self._replacing(profile):
            errors["name"] = "a profile with this name exists: choose another name (or rec-tui logout it first)"
        return errors

    def _replacing(self, profile: Profile) -> bool:
        return self.prefill is not None and profile.name == self.prefill.name

    # -- showing --------------------------------------------------------------------------

    def _relabel(self) -> None:
        provider = self.provider
        signalwire = provider == "signalwire"
        self.query_one("#label-account_sid", Label).update("Project ID" if signalwire else "Account SID")
        self.query_one("#login-account_sid", Input).placeholder = (
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" if signalwire
            else "AC… (34 characters), or a UUID" if provider == "custom" else "AC… (34 characters)")
        label = make_profile("x", provider, auth_method=None if signalwire else self.value("auth_method")).secret_label
        self.query_one("#label-secret", Label).update(label[:1].upper() + label[1:])
        for name in ALL_FIELDS:
            used = self._used(name)
            self.query_one(f"#row-{name}").display = used
            if not used:
                self._show_error(name, None)

    def _show_host(self) -> None:
        """Where the requests will go, once the fields that decide it are valid."""
        profile = self.profile()
        errors = validate_profile(profile)
        widget = self.query_one("#login-host", Static)
        if any(key in errors for key in ("provider", "region", "edge", "space", "base_url")):
            widget.update("")
            return
        try:
            if profile.provider == "twilio":
                endpoint = twilio_endpoint(*profile.twilio_region_edge())
            elif profile.provider == "signalwire":
                endpoint = signalwire_endpoint(profile.space or "")
            else:
                endpoint = custom_endpoint(profile.base_url or "")
        except (ValueError, ApiError):
            widget.update("")
            return
        widget.update(Text.assemble(("API ", "dim"), literal(endpoint.origin + endpoint.api_root)))

    def _show_error(self, name: str, message: str | None) -> None:
        widget = self.query_one(f"#error-{name}", Static)
        widget.display = bool(message)
        widget.update(Text(f"↳ {message}" if message else ""))
        field = self.query_one(f"#login-{name}")
        field.set_class(bool(message), "-invalid")

    def show_errors(self, errors: dict[str, str]) -> None:
        self._checked_values = {name: self.value(name) for name in ALL_FIELDS if name != "secret"}
        for name in ALL_FIELDS:
            self._show_error(name, errors.get(name) if self._used(name) else None)

    def _show_status(self, text: str | Text, *, error: bool = False) -> None:
        widget = self.query_one("#login-status", Static)
        widget.update(text if isinstance(text, Text) else Text(text))
        widget.set_class(error, "-error")

    def _busy(self, busy: bool) -> None:
        self.query_one("#login-spinner").display = busy
        self.query_one("#login", Button).disabled = busy

    # -- events ---------------------------------------------------------------------------

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self._relabel()
        self._show_host()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        # Only the field's name is used here: the secret's value never goes into a local.
        name = (event.input.id or "").removeprefix("login-")
        if name in ("region", "edge", "space", "base_url"):
            self._show_host()
        if name != "secret" and self._checked_values.get(name) == self.value(name):
            return
        if self.query_one(f"#error-{name}").display:
            self._show_error(name, None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"login": self.action_submit, "cancel": self.action_cancel,
         "import": self.action_import_twilio_cli}.get(event.button.id or "", lambda: None)()

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_twilio_cli":
            return bool(self.importable)
        return True

    def action_submit(self) -> None:
        if self._saving or self.query_one("#login", Button).disabled:
            return
        profile = self.profile()
        errors = self.errors(profile)
        self.show_errors(errors)
        if errors:
            first = next(name for name in ALL_FIELDS if name in errors)
            self.query_one(f"#login-{first}").focus()
            self._show_status("Fix the fields marked above.", error=True)
            return
        # Wrapped as it is read; the plain value is never kept in a local.
        secret = Secret(self.query_one("#login-secret", Input).value.strip())
        self._login(profile, secret, self._replacing(profile))

    def action_cancel(self) -> None:
        if self._saving:
            self.notify("Saving to the keyring: a moment…", timeout=3)
            return
        self.workers.cancel_group(self, "login")
        self._clear_secret()
        self.dismiss(None)

    def _clear_secret(self) -> None:
        self.query_one("#login-secret", Input).value = ""

    # -- the check and the save -----------------------------------------------------------

    @work(group="login", exclusive=True)
    async def _login(self, profile: Profile, secret: Secret, replace: bool) -> None:
        connection = None
        handed_over = False
        self._busy(True)
        self._show_status(f"Checking the credentials with {profile.api_host}…")
        try:
            try:
                connection = self.app.connection_for(profile, secret)
            except (ValueError, ApiError, ConfigError) as error:
                self._show_status(f"Cannot use these settings: {literal(str(error))}", error=True)
                return
            try:
                await connection.client.check_credentials()
            except AuthenticationError as error:
                self._show_status(_refusal(profile, error), error=True)
                self.query_one("#login-secret").focus()
                return
            except ApiError as error:
                self._show_status(_refusal(profile, error), error=True)
                return
            self._show_status("The credentials work. Saving the secret in the OS keyring…")
            self._saving = True
            allow_insecure = await keyring_permission(self.app)
            if allow_insecure is None:
                self._show_status("Nothing was saved.", error=True)
                return
            try:
                await save_profile(self.app, profile, secret, allow_insecure=allow_insecure, replace=replace)
            except KeyringUnavailable as error:
                self.app.push_screen(NoKeyringScreen(str(error)))
                self._show_status("Nothing was saved: no OS keyring.", error=True)
                return
            except (CredentialsError, ConfigError, OSError) as error:
                self._show_status(f"Nothing was saved: {literal(str(error))}", error=True)
                return
            handed_over = True
            self._clear_secret()
            self.app.notify(f"Saved profile {profile.name}; its {profile.secret_label} is in the OS keyring.",
                            title="Logged in", markup=False)
            self.dismiss(LoginResult(profile, connection))
        finally:
            self._saving = False
            if not handed_over and connection is not None:
                await connection.aclose()
            if not handed_over:
                self._busy(False)

    # -- twilio-cli and the keyring, looked at once the form is up ------------------------

    @work(group="look-around")
    async def _look_around(self) -> None:
        status = await asyncio.to_thread(keyring_status)
        if status.state == "unavailable":
            self.app.push_screen(NoKeyringScreen(status.message), callback=lambda _: self.dismiss(None))
            return
        try:
            found = await asyncio.to_thread(import_twilio_cli)
        except ConfigError as error:  # its messages name the file, never a value from it
            log.info("twilio-cli profiles not offered: %s", error)
            return
        store = self.app.profiles
        self.twilio_cli = found
        self.importable = tuple(item for item in found.importable if not _already_imported(item, store))
        if self.importable and self.prefill is None:
            count = len(self.importable)
            text = f"twilio-cli has {count} profile{'s' if count > 1 else ''} in {found.path}. Import (ctrl+t)?"
            self.query_one("#login-import-text", Static).update(Text(text))
            self.query_one("#login-import-offer").display = True
            self.refresh_bindings()

    def action_import_twilio_cli(self) -> None:
        if not self.importable or self.twilio_cli is None or self._saving:
            return

        def imported(profiles: list[Profile] | None) -> None:
            if profiles:
                self._clear_secret()
                self.dismiss(LoginResult(profiles[-1], None))

        self.app.push_screen(TwilioImportScreen(self.twilio_cli, self.importable), callback=imported)


def _refusal(profile: Profile, error: ApiError) -> Text:
    """The service's own answer, literally; for a 401, what to check."""
    head = []
    if error.code is not None:
        head.append(f"Error {error.code}")
    if error.status is not None:
        head.append(f"HTTP {error.status}")
    text = Text()
    if isinstance(error, AuthenticationError):
        who = profile.api_host if profile.provider == "custom" else profile.provider_label
        text.append(f"{who} refused these credentials: ")
    else:
        text.append("Could not check the credentials: ")
    text.append(literal(error.message))
    if head:
        text.append(f" ({' · '.join(head)})")
    link = error.more_info or (error_link(error.code) if error.code is not None else None)
    if link:
        text.append(f"\n{literal(link)}")
    return text


def _already_imported(item: ImportedProfile, store) -> bool:
    wanted = (item.profile.account_sid, item.profile.auth_method, item.profile.api_key_sid)
    return any((p.account_sid, p.auth_method, p.api_key_sid) == wanted and p.provider == "twilio" for p in store)


def unique_name(store, name: str) -> str:
    if name not in store:
        return name
    number = 2
    while f"{name[:60]}-{number}" in store:
        number += 1
    return f"{name[:60]}-{number}"


class TwilioImportScreen(ModalScreen[list[Profile] | None]):
    """Pick twilio-cli profiles to import; dismisses with the saved profiles (the active one last)."""

    BINDING_GROUP_TITLE = "Import"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "import", "Import", tooltip="store the chosen profiles"),
    ]

    def __init__(self, found: TwilioCliImport, importable: tuple[ImportedProfile, ...]) -> None:
        super().__init__()
        self.found = found
        self.items = importable
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static("Import twilio-cli profiles", classes="dialog-title")
            yield SelectionList[int](
                *((self._label(item), index, True) for index, item in enumerate(self.items)),
                id="import-list", compact=True,
            )
            skipped = [item for item in self.found.profiles if not item.importable]
            if skipped:
                lines = "\n".join(f"{literal(item.source_id)}: not imported: {literal(item.problem or '')}"
                                  for item in skipped)
                yield Static(Text(lines), id="import-skipped", classes="dialog-hint")
            yield Static(Text(
                "Each API key secret is copied into the OS keyring (service rec-tui). The plain-text copy "
                f"remains in {self.found.path}: rec-tui leaves that file alone; remove the profile there "
                "(twilio profiles:remove ID) if you no longer use it with twilio-cli."
            ), id="import-notice", classes="dialog-hint")
            yield Static(id="import-status")
            with HorizontalGroup(classes="dialog-buttons"):
                yield Button("Import", variant="primary", id="do-import", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _label(self, item: ImportedProfile) -> Text:
        profile = item.profile
        name = unique_name(self.app.profiles, profile.name)
        text = Text(literal(item.source_id), style="bold")
        text.append(f" → profile {name} · {short_sid(profile.account_sid)}")
        if profile.api_key_sid:
            text.append(f" · key {short_sid(profile.api_key_sid)}")
        if profile.region or profile.edge:
            text.append(f" · {profile.api_host}")
        if item.active:
            text.append(" · active", style="italic")
        return text

    def on_mount(self) -> None:
        self.query_one("#import-list").focus()

    def action_cancel(self) -> None:
        if not self._saving:
            self.dismiss(None)

    def action_import(self) -> None:
        chosen = [self.items[index] for index in self.query_one("#import-list", SelectionList).selected]
        if not chosen:
            self.query_one("#import-status", Static).update("Choose at least one profile (space toggles).")
            return
        if not self._saving:
            self._import(sorted(chosen, key=lambda item: item.active))  # the active one last: the default

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        (self.action_import if event.button.id == "do-import" else self.action_cancel)()

    @work(group="import", exclusive=True)
    async def _import(self, chosen: list[ImportedProfile]) -> None:
        self._saving = True
        status = self.query_one("#import-status", Static)
        saved: list[Profile] = []
        try:
            allow_insecure = await keyring_permission(self.app)
            if allow_insecure is None:
                status.update("Nothing was imported.")
                return
            for item in chosen:
                profile = make_profile(unique_name(self.app.profiles, item.profile.name), "twilio",
                                       account_sid=item.profile.account_sid, auth_method=item.profile.auth_method,
                                       api_key_sid=item.profile.api_key_sid, region=item.profile.region,
                                       edge=item.profile.edge)
                status.update(Text(f"Storing {profile.name} in the OS keyring…"))
                try:
                    await save_profile(self.app, profile, item.secret, allow_insecure=allow_insecure)  # type: ignore[arg-type]
                except (CredentialsError, ConfigError, OSError) as error:
                    problem = f"Stopped at {literal(item.source_id)}: {literal(str(error))}"
                    status.update(Text(problem))
                    if saved:
                        self.app.notify(problem, title="twilio-cli import", severity="error", markup=False)
                    break
                saved.append(profile)
        finally:
            self._saving = False
        if saved:
            names = ", ".join(profile.name for profile in saved)
            self.app.notify(f"Imported {names}. " + self.found.notice(chosen[0] if len(saved) == 1 else None),
                            title="twilio-cli import", markup=False, timeout=15)
            self.dismiss(saved)
