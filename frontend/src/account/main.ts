/** Entry of the account pages: sign in, sign up, password reset and personal API tokens. */
import "../shared/style.css";
import { apiDelete, apiGet, apiPost } from "../shared/api";
import { byId, h } from "../shared/dom";
import { ApiForm, pageArgs, when } from "../shared/forms";

interface Me {
  authenticated: boolean;
  username: string;
  role: string;
}

interface Token {
  id: number;
  name: string;
  start: string;
  created: string;
  last_used: string | null;
  token?: string;
}

/** Where to go after signing in: the page that sent the visitor here, if it is on this site. */
function nextPage(): string {
  const next = new URLSearchParams(location.search).get("next") ?? "";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/my/runs";
}

function signIn(root: HTMLElement): void {
  const form = new ApiForm(
    [
      { name: "username", label: "User name or e-mail", attrs: { autocomplete: "username", required: true } },
      { name: "password", label: "Password", type: "password", attrs: { autocomplete: "current-password", required: true } },
    ],
    "Sign in",
    async (values) => {
      await apiPost<Me>("auth/signin", values);
      location.assign(nextPage());
    },
  );
  root.replaceChildren(
    h("h1", {}, "Sign in"),
    h("section", { className: "panel auth-panel" },
      h("p", { className: "hint" }, "Runs you trained before signing in become your account's."),
      form.element,
      h("p", {}, h("a", { href: "/account/signup" }, "Make an account"), " · ", h("a", { href: "/account/reset" }, "Forgot your password?"))),
  );
}

function signUp(root: HTMLElement): void {
  const form = new ApiForm(
    [
      { name: "username", label: "User name", attrs: { autocomplete: "username", required: true } },
      { name: "email", label: "E-mail", type: "email", hint: "Only for resetting your password.", attrs: { autocomplete: "email", required: true } },
      { name: "password", label: "Password", type: "password", hint: "At least 8 characters, not a common one, not all digits.", attrs: { autocomplete: "new-password", required: true } },
    ],
    "Sign up",
    async (values) => {
      await apiPost<Me>("auth/signup", values);
      location.assign(nextPage());
    },
  );
  root.replaceChildren(
    h("h1", {}, "Make an account"),
    h("section", { className: "panel auth-panel" },
      h("p", { className: "hint" }, "Keep your runs, join a class with its code, and make API tokens for scripts. Runs you trained before become your account's."),
      form.element,
      h("p", {}, "Have one? ", h("a", { href: "/account/signin" }, "Sign in"))),
  );
}

function reset(root: HTMLElement): void {
  const done = h("p", { role: "status" });
  const form = new ApiForm([{ name: "email", label: "E-mail", type: "email", attrs: { autocomplete: "email" } }], "Send the link", async (values) => {
    await apiPost("auth/password-reset", values);
    done.textContent = "If an account has that address, a link to choose a new password is on its way.";
  });
  root.replaceChildren(h("h1", {}, "Reset your password"), h("section", { className: "panel auth-panel" }, form.element, done));
}

function resetConfirm(root: HTMLElement, args: Record<string, string | number>): void {
  const form = new ApiForm(
    [{ name: "password", label: "New password", type: "password", attrs: { autocomplete: "new-password" } }],
    "Set the password",
    async (values) => {
      await apiPost("auth/password-reset/confirm", { uid: String(args.uid), token: String(args.token), password: values.password });
      location.assign("/my/runs");
    },
  );
  root.replaceChildren(h("h1", {}, "Choose a new password"), h("section", { className: "panel auth-panel" }, form.element));
}

function curlExample(token: string): string {
  const site = location.origin;
  return [
    `curl -s -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \\`,
    `     -d '{"task": "basics", "config": {"epochs": 50}}' ${site}/api/runs`,
    `curl -s -H "Authorization: Bearer ${token}" "${site}/api/runs/RUN_ID/events?after=0"`,
  ].join("\n");
}

async function tokens(root: HTMLElement): Promise<void> {
  const me = await apiGet<Me>("auth/me");
  if (!me.authenticated) {
    location.assign(`/account/signin?next=${encodeURIComponent(location.pathname)}`);
    return;
  }
  const list = h("tbody");
  const fresh = h("div", { className: "new-token", role: "status" });
  const draw = async () => {
    const found = await apiGet<Token[]>("auth/tokens");
    list.replaceChildren(
      ...(found.length
        ? found.map((token) => {
            const revoke = h("button", { type: "button", className: "small", "aria-label": `Revoke ${token.name}` }, "Revoke");
            revoke.addEventListener("click", async () => {
              await apiDelete(`auth/tokens/${token.id}`);
              await draw();
            });
            return h("tr", {}, h("td", {}, token.name), h("td", {}, h("code", {}, `${token.start}…`)), h("td", {}, when(token.created)), h("td", {}, when(token.last_used)), h("td", {}, revoke));
          })
        : [h("tr", {}, h("td", { colspan: 5, className: "hint" }, "No tokens yet."))]),
    );
  };
  const form = new ApiForm([{ name: "name", label: "What is it for?", value: "my laptop" }], "Make a token", async (values) => {
    const made = await apiPost<Token>("auth/tokens", values);
    fresh.replaceChildren(
      h("p", {}, h("strong", {}, "Copy it now: it is shown only this once.")),
      h("pre", { className: "token-text" }, made.token ?? ""),
      h("p", { className: "hint" }, "Submit a run and read its events:"),
      h("pre", { className: "code" }, curlExample(made.token ?? "")),
    );
    await draw();
  });
  root.replaceChildren(
    h("h1", {}, "API tokens"),
    h("p", {}, `Signed in as ${me.username} (${me.role}). A token lets a script act as you: send it as `, h("code", {}, "Authorization: Bearer <token>"), ". See ", h("a", { href: "/api/docs" }, "the API"), "."),
    h("section", { className: "panel", "aria-labelledby": "tokens-title" },
      h("h2", { id: "tokens-title" }, "Your tokens"),
      h("table", { className: "data-table" }, h("thead", {}, h("tr", {}, ["Name", "Starts with", "Made", "Last used", ""].map((t) => h("th", { scope: "col" }, t)))), list),
    ),
    h("section", { className: "panel", "aria-labelledby": "new-token-title" }, h("h2", { id: "new-token-title" }, "New token"), form.element, fresh),
  );
  await draw();
}

async function main(): Promise<void> {
  const root = byId("account");
  const args = pageArgs();
  try {
    if (args.view === "signin") signIn(root);
    else if (args.view === "signup") signUp(root);
    else if (args.view === "reset") reset(root);
    else if (args.view === "reset-confirm") resetConfirm(root, args);
    else await tokens(root);
    root.dataset.state = "ready";
  } catch (error) {
    root.dataset.state = "failed";
    root.setAttribute("role", "alert");
    root.textContent = String(error instanceof Error ? error.message : error);
  }
}

void main();
