//! One browser session seen the way a user sees a page: elements found by their role and
//! accessible name, their label or their text (XPath built here, so every engine answers
//! the same question), and waits that poll until the page agrees or a deadline passes.
//!
//! WebDriver has no "get by role" like Playwright's, so the queries below spell out what
//! the app's accessible names are made of: a button's or link's text or `aria-label`, a
//! field's `<label for>` or wrapping `<label>`. `data-testid` is used only where the
//! Playwright suite uses it too (a value with no name of its own, such as a price).

use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// How long a wait lasts unless the step says otherwise: long enough for a cold wasm chunk
/// on a busy two-core CI machine.
pub const PATIENCE: Duration = Duration::from_secs(25);
const POLL: Duration = Duration::from_millis(100);

/// `text` as an XPath 1.0 string literal. XPath has no escapes: a text with both kinds of
/// quote is spelled as `concat()` of pieces.
pub fn literal(text: &str) -> String {
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    if !text.contains('"') {
        return format!("\"{text}\"");
    }
    let pieces: Vec<String> = text.split('\'').map(|piece| format!("'{piece}'")).collect();
    format!("concat({})", pieces.join(", \"'\", "))
}

/// The accessible name of a button or link, exactly: its text or its `aria-label`.
fn named(name: &str) -> String {
    let name = literal(name);
    format!("[normalize-space(.)={name} or @aria-label={name}]")
}

/// Queries by role and name, as XPath.
pub mod by {
    use super::{literal, named};

    pub fn button(name: &str) -> String {
        format!("//button{}", named(name))
    }

    pub fn link(name: &str) -> String {
        format!("//a{}", named(name))
    }

    /// The page's main heading (`h1`) when its text is exactly `name`. Only the `h1`: a
    /// product card's `h3` on the page being left must not pass for the next page's title.
    pub fn heading(name: &str) -> String {
        format!("//h1[normalize-space(.)={}]", literal(name))
    }

    /// A form field (input, select, textarea) whose label is exactly `label`.
    pub fn field(label: &str) -> String {
        let label = literal(label);
        format!(
            "//*[(self::input or self::select or self::textarea) and (@id=//label[normalize-space(.)={label}]/@for \
             or ancestor::label[normalize-space(.)={label}] or @aria-label={label})]"
        )
    }

    /// A form field whose label contains `text` (labels that carry a required mark).
    pub fn field_containing(text: &str) -> String {
        let text = literal(text);
        format!(
            "//*[(self::input or self::select or self::textarea) and \
             (@id=//label[contains(normalize-space(.), {text})]/@for or ancestor::label[contains(normalize-space(.), {text})])]"
        )
    }

    /// A checkbox or radio button whose label contains `text`.
    pub fn choice(text: &str) -> String {
        let text = literal(text);
        format!(
            "//input[(@type='checkbox' or @type='radio') and (ancestor::label[contains(normalize-space(.), {text})] \
             or @id=//label[contains(normalize-space(.), {text})]/@for)]"
        )
    }

    pub fn test_id(id: &str) -> String {
        format!("//*[@data-testid={}]", literal(id))
    }

    /// The open dialog (a `<dialog open>` or an element with role="dialog").
    pub fn dialog() -> String {
        "//*[(self::dialog and @open) or @role='dialog']".to_owned()
    }

    /// `query` (an absolute XPath) inside the element `scope` finds.
    pub fn within(scope: &str, query: &str) -> String {
        format!("({scope}){query}")
    }
}

/// A browser session on the app, with the app's address.
pub struct Page {
    pub client: Client,
    pub base_url: String,
}

impl Page {
    /// Opens `path` and waits until the app has replaced index.html's shell: the scenarios
    /// test the app, and the shell's plain links and form would otherwise take a click or
    /// the typing meant for it (the shell itself is tested in tests/e2e/specs/shell.spec.ts).
    pub async fn open(&self, path: &str) -> anyhow::Result<()> {
        self.client.goto(&format!("{}{path}", self.base_url)).await.with_context(|| format!("opening {path}"))?;
        self.until("the app to replace the shell", PATIENCE, || async {
            Ok(self.all("//*[@data-shell]").await?.is_empty().then_some(()))
        })
        .await
    }

    pub async fn url(&self) -> anyhow::Result<String> {
        Ok(self.client.current_url().await?.to_string())
    }

    /// Every element the query finds now (no waiting).
    async fn all(&self, xpath: &str) -> anyhow::Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::XPath(xpath)).await?)
    }

    /// Polls `check` until it answers `Some`, or fails with `what` and the last answer.
    async fn until<T, F, Fut>(&self, what: &str, patience: Duration, mut check: F) -> anyhow::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = anyhow::Result<Option<T>>>,
    {
        let deadline = Instant::now() + patience;
        let mut last_error = None;
        loop {
            match check().await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                // An element replaced between finding and reading it is a normal moment in
                // a reactive page: ask again.
                Err(error) => last_error = Some(error),
            }
            if Instant::now() >= deadline {
                let detail = last_error.map(|error| format!(" (last error: {error:#})")).unwrap_or_default();
                bail!("timed out after {patience:?} waiting for {what}{detail}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The first displayed element the query finds, once there is one.
    pub async fn visible(&self, xpath: &str) -> anyhow::Result<Element> {
        self.visible_within(xpath, PATIENCE).await
    }

    pub async fn visible_within(&self, xpath: &str, patience: Duration) -> anyhow::Result<Element> {
        self.until(&format!("a visible {xpath}"), patience, || async {
            for element in self.all(xpath).await? {
                if element.is_displayed().await? {
                    return Ok(Some(element));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Waits until nothing displayed matches the query.
    pub async fn gone(&self, xpath: &str) -> anyhow::Result<()> {
        self.until(&format!("no visible {xpath}"), PATIENCE, || async {
            for element in self.all(xpath).await? {
                if element.is_displayed().await? {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })
        .await
    }

    pub async fn click(&self, xpath: &str) -> anyhow::Result<()> {
        let element = self.enabled(xpath, true).await?;
        element.click().await.with_context(|| format!("clicking {xpath}"))
    }

    /// Waits until the element is displayed and its enabled state is `enabled`.
    pub async fn enabled(&self, xpath: &str, enabled: bool) -> anyhow::Result<Element> {
        let state = if enabled { "enabled" } else { "disabled" };
        self.until(&format!("{xpath} to be {state}"), PATIENCE, || async {
            let element = self.visible_within(xpath, Duration::ZERO).await.ok();
            match element {
                Some(element) if element.is_enabled().await? == enabled => Ok(Some(element)),
                _ => Ok(None),
            }
        })
        .await
    }

    /// Replaces a field's value as typing would (so the app sees `input` events).
    pub async fn fill(&self, xpath: &str, value: &str) -> anyhow::Result<()> {
        let field = self.visible(xpath).await?;
        field.clear().await?;
        field.send_keys(value).await.with_context(|| format!("typing into {xpath}"))
    }

    pub async fn select(&self, xpath: &str, value: &str) -> anyhow::Result<()> {
        self.visible(xpath).await?.select_by_value(value).await.with_context(|| format!("choosing {value} in {xpath}"))
    }

    /// Ticks a checkbox or radio button that is not ticked yet.
    pub async fn check(&self, xpath: &str) -> anyhow::Result<()> {
        let input = self.visible(xpath).await?;
        if !input.is_selected().await? {
            input.click().await.with_context(|| format!("ticking {xpath}"))?;
        }
        self.until(&format!("{xpath} to be ticked"), PATIENCE, || async {
            Ok(self.visible_within(xpath, Duration::ZERO).await?.is_selected().await?.then_some(()))
        })
        .await
    }

    /// The element's rendered text, trimmed.
    pub async fn text(&self, xpath: &str) -> anyhow::Result<String> {
        Ok(self.visible(xpath).await?.text().await?.trim().to_owned())
    }

    /// Waits until the element's text satisfies `accept`, and returns it.
    pub async fn text_where(
        &self,
        xpath: &str,
        what: &str,
        patience: Duration,
        accept: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let accept = &accept;
        let last_seen = std::cell::RefCell::new(None::<String>);
        let last_seen = &last_seen;
        self.until(&format!("{xpath} to show {what}"), patience, || async move {
            let element = match self.visible_within(xpath, Duration::ZERO).await {
                Ok(element) => element,
                Err(_) => return Ok(None),
            };
            let text = element.text().await?.trim().to_owned();
            let accepted = accept(&text);
            *last_seen.borrow_mut() = Some(text.clone());
            Ok(accepted.then_some(text))
        })
        .await
        .with_context(|| match last_seen.borrow().as_deref() {
            Some(text) => format!("it showed {text:?}"),
            None => "it never became visible".to_owned(),
        })
    }

    pub async fn has_text(&self, xpath: &str, expected: &str) -> anyhow::Result<String> {
        self.text_where(xpath, &format!("exactly {expected:?}"), PATIENCE, |text| text == expected).await
    }

    pub async fn contains_text(&self, xpath: &str, expected: &str) -> anyhow::Result<String> {
        self.text_where(xpath, &format!("a text containing {expected:?}"), PATIENCE, |text| text.contains(expected))
            .await
    }

    /// Waits until no displayed element the query finds contains `text` (none at all counts).
    pub async fn lacks_text(&self, xpath: &str, text: &str) -> anyhow::Result<()> {
        self.until(&format!("{xpath} not to contain {text:?}"), PATIENCE, || async {
            for element in self.all(xpath).await? {
                if element.is_displayed().await? && element.text().await?.contains(text) {
                    return Ok(None);
                }
            }
            Ok(Some(()))
        })
        .await
    }

    pub async fn attribute_is(&self, xpath: &str, name: &str, expected: &str) -> anyhow::Result<()> {
        self.until(&format!("{xpath}'s {name} to be {expected:?}"), PATIENCE, || async {
            let element = self.visible_within(xpath, Duration::ZERO).await?;
            Ok((element.attr(name).await?.as_deref() == Some(expected)).then_some(()))
        })
        .await
    }

    /// Waits until the page's `h1` reading `name` has focus and the document is titled
    /// after it: what a navigation gives keyboard and screen-reader users.
    pub async fn focus_on_heading(&self, name: &str, title: &str) -> anyhow::Result<()> {
        self.until(&format!("focus on the heading {name:?} and the title {title:?}"), PATIENCE, || async {
            let focused = self
                .client
                .execute(
                    "const e = document.activeElement; return e ? e.tagName + '|' + e.textContent.trim() : '';",
                    vec![],
                )
                .await?;
            let titled = self.client.title().await?;
            Ok((focused.as_str() == Some(&format!("H1|{name}")) && titled == title).then_some(()))
        })
        .await
    }

    pub async fn url_contains(&self, part: &str) -> anyhow::Result<String> {
        self.until(&format!("the address to contain {part:?}"), PATIENCE, || async {
            let url = self.url().await?;
            Ok(url.contains(part).then_some(url))
        })
        .await
    }

    /// A same-origin API call from the page, so it carries the session cookie and the
    /// `Origin` header the server's CSRF check asks for. Answers (status, JSON body).
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> anyhow::Result<(u16, serde_json::Value)> {
        const SCRIPT: &str = r#"
            const [method, path, body, done] = arguments;
            const headers = { 'Content-Type': 'application/json' };
            if (method !== 'GET') headers['Idempotency-Key'] = 'browsers-' + Date.now() + '-' + Math.random();
            fetch(path, { method, headers, body: body === null ? undefined : JSON.stringify(body), credentials: 'same-origin' })
              .then(async (response) => done([response.status, await response.text()]))
              .catch((error) => done([0, String(error)]));
        "#;
        let body = body.unwrap_or(serde_json::Value::Null);
        let answer = self.client.execute_async(SCRIPT, vec![method.into(), path.into(), body]).await?;
        let status = answer[0].as_u64().ok_or_else(|| anyhow!("no status in {answer}"))? as u16;
        let text = answer[1].as_str().unwrap_or_default();
        let json = serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()));
        Ok((status, json))
    }

    /// Saves a screenshot of the viewport as `<directory>/<name>.png`.
    pub async fn screenshot(&self, directory: &std::path::Path, name: &str) -> anyhow::Result<()> {
        // WebKitGTK's driver snapshots the last frame it composited, which can predate the
        // latest change (a dialog just opened was missing from its pictures); two animation
        // frames later the page on screen is the page in the DOM.
        self.client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await?;
        let png = self.client.screenshot().await?;
        std::fs::create_dir_all(directory)?;
        std::fs::write(directory.join(format!("{name}.png")), png)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{by, literal};

    #[test]
    fn literals_survive_both_kinds_of_quote() {
        assert_eq!(literal("Pay Now"), "'Pay Now'");
        assert_eq!(literal("Confirm it's you"), "\"Confirm it's you\"");
        assert_eq!(literal(r#"it's "here""#), r#"concat('it', "'", 's "here"')"#);
    }

    #[test]
    fn queries_name_elements_by_text_or_aria_label() {
        assert_eq!(by::button("Log in"), "//button[normalize-space(.)='Log in' or @aria-label='Log in']");
        assert_eq!(
            by::within(&by::dialog(), &by::button("Send")),
            "(//*[(self::dialog and @open) or @role='dialog'])//button[normalize-space(.)='Send' or @aria-label='Send']"
        );
    }
}
