//! Invoice and credit-note PDFs, made when downloaded from the stored invoice (its
//! profile snapshot, lines and totals — nothing read from the live profile). Labels are in
//! English and Chinese on one document, the way Chinese invoices are printed; the font
//! (Noto Sans CJK) is embedded as a subset of the glyphs the document uses.

mod layout;

use bazaar_core::invoices::{InvoiceKind, InvoiceView, ProfileKind};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::TextDirection;
use time::OffsetDateTime;

use self::layout::{Layout, MARGIN, Mark, PAGE_HEIGHT, PAGE_WIDTH, RIGHT_EDGE};
use crate::infra::fonts::LoadedFont;

/// Who issues the document, as printed on it.
#[derive(Debug, Clone)]
pub struct IssuerDetails {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A seller's invoice: Bazaar makes the document on its behalf.
    pub on_behalf_of_seller: bool,
}

const BODY: f32 = 9.5;
const LEADING: f32 = 14.0;
const INK: u8 = 17;
const MUTED: u8 = 90;
/// Right edges of the amount columns.
const NET_RIGHT: f32 = 390.0;
const TAX_RIGHT: f32 = 465.0;
const DESCRIPTION_WIDTH: f32 = 270.0;
const COLUMN_GAP: f32 = 20.0;

/// The PDF of issued `invoice`, or why it cannot be made.
pub fn render(invoice: &InvoiceView, issuer: &IssuerDetails, font: &LoadedFont) -> Result<Vec<u8>, String> {
    let mut layout = Layout::new(&font.data, font.index).ok_or("the invoice font cannot be measured")?;
    heading(&mut layout, invoice);
    parties(&mut layout, invoice, issuer);
    lines(&mut layout, invoice);
    totals(&mut layout, invoice);
    let pages = number_pages(&layout, layout.pages.clone());
    draw(pages, invoice, font)
}

fn date(at: OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02}", at.year(), u8::from(at.month()), at.day())
}

fn heading(layout: &mut Layout<'_>, invoice: &InvoiceView) {
    let title = match invoice.kind {
        InvoiceKind::Invoice => "Invoice  发票",
        InvoiceKind::CreditNote => "Credit note  红字发票",
    };
    layout.advance(14.0);
    layout.text(MARGIN, 20.0, INK, title);
    let number = invoice.number.as_deref().unwrap_or("—");
    layout.text_right(RIGHT_EDGE, 11.0, INK, &format!("No. 发票号码  {number}"));
    layout.advance(LEADING + 2.0);
    let issued = invoice.issued_at.map(date).unwrap_or_else(|| "—".to_owned());
    layout.text_right(RIGHT_EDGE, BODY, MUTED, &format!("Date of issue 开票日期  {issued} (UTC)"));
    if let Some(original) = &invoice.original_number {
        layout.advance(LEADING);
        layout.text_right(RIGHT_EDGE, BODY, MUTED, &format!("Against invoice 对应原发票  {original}"));
    }
    layout.rule(MARGIN, RIGHT_EDGE - MARGIN, 10.0, 0.8);
    layout.advance(34.0);
}

/// One line of a party's block: size, gray, text.
type BlockLine = (f32, u8, String);

fn block(layout: &Layout<'_>, label: &str, first: &str, rest: &[(&str, Option<&str>)], width: f32) -> Vec<BlockLine> {
    let mut out = vec![(BODY - 1.0, MUTED, label.to_owned())];
    out.extend(layout.wrap(first, 11.0, width).into_iter().map(|line| (11.0, INK, line)));
    for (caption, value) in rest {
        let Some(value) = value.filter(|value| !value.trim().is_empty()) else { continue };
        let text = format!("{caption}  {value}");
        out.extend(layout.wrap(&text, BODY, width).into_iter().map(|line| (BODY, INK, line)));
    }
    out
}

fn parties(layout: &mut Layout<'_>, invoice: &InvoiceView, issuer: &IssuerDetails) {
    let width = (RIGHT_EDGE - MARGIN - COLUMN_GAP) / 2.0;
    let on_behalf = issuer.on_behalf_of_seller.then_some("由 Bazaar 代为开具");
    let left = block(
        layout,
        "Issuer 开票方",
        &issuer.name,
        &[
            ("E-mail 邮箱", issuer.email.as_deref()),
            ("Phone 电话", issuer.phone.as_deref()),
            ("Made by Bazaar on the seller's behalf", on_behalf),
        ],
        width,
    );
    let to = &invoice.made_out_to;
    let kind = match to.kind {
        ProfileKind::Personal => "Personal 个人",
        ProfileKind::Enterprise => "Enterprise 企业",
    };
    let right = block(
        layout,
        "Bill to 购买方",
        &to.title,
        &[
            ("Type 类型", Some(kind)),
            ("Tax ID 纳税人识别号", to.tax_id.as_deref()),
            ("Address 地址", to.address.as_deref()),
            ("Phone 电话", to.phone.as_deref()),
            ("Bank account 开户行及账号", to.bank_account.as_deref()),
            ("E-mail 邮箱", Some(to.email.as_str())),
        ],
        width,
    );
    for row in 0..left.len().max(right.len()) {
        layout.keep_together(LEADING);
        for (x, column) in [(MARGIN, &left), (MARGIN + width + COLUMN_GAP, &right)] {
            if let Some((size, gray, text)) = column.get(row) {
                layout.text(x, *size, *gray, text);
            }
        }
        layout.advance(LEADING);
    }
    layout.advance(LEADING);
}

fn column_heads(layout: &mut Layout<'_>) {
    layout.text(MARGIN, BODY - 0.5, MUTED, "Description 项目");
    layout.text_right(NET_RIGHT, BODY - 0.5, MUTED, "Net 金额");
    layout.text_right(TAX_RIGHT, BODY - 0.5, MUTED, "Tax 税额");
    layout.text_right(RIGHT_EDGE, BODY - 0.5, MUTED, "Amount 价税合计");
    layout.rule(MARGIN, RIGHT_EDGE - MARGIN, 5.0, 0.5);
    layout.advance(LEADING + 4.0);
}

fn lines(layout: &mut Layout<'_>, invoice: &InvoiceView) {
    column_heads(layout);
    for item in &invoice.items {
        let wrapped = layout.wrap(&item.description, BODY, DESCRIPTION_WIDTH);
        let height = LEADING * wrapped.len() as f32;
        let page_before = layout.pages.len();
        layout.keep_together(height);
        if layout.pages.len() != page_before {
            column_heads(layout);
        }
        layout.text_right(NET_RIGHT, BODY, INK, &item.net.display());
        layout.text_right(TAX_RIGHT, BODY, INK, &item.tax.display());
        layout.text_right(RIGHT_EDGE, BODY, INK, &item.amount.display());
        for line in &wrapped {
            layout.text(MARGIN, BODY, INK, line);
            layout.advance(LEADING);
        }
    }
    layout.rule(MARGIN, RIGHT_EDGE - MARGIN, -8.0, 0.5);
    layout.advance(8.0);
}

fn totals(layout: &mut Layout<'_>, invoice: &InvoiceView) {
    let rate = invoice.tax_rate_basis_points;
    let percent = if rate.is_multiple_of(100) {
        format!("{}%", rate / 100)
    } else {
        format!("{}.{:02}%", rate / 100, rate % 100)
    };
    let rows = [
        ("Net total 金额合计".to_owned(), invoice.net.display(), BODY),
        (format!("Tax 税额 ({percent})"), invoice.tax.display(), BODY),
        (format!("Total 价税合计 ({})", <&str>::from(invoice.total.currency)), invoice.total.display(), 12.0),
    ];
    layout.keep_together(LEADING * 4.0);
    for (label, amount, size) in rows {
        layout.text_right(TAX_RIGHT, size, INK, &label);
        layout.text_right(RIGHT_EDGE, size, INK, &amount);
        layout.advance(LEADING + 2.0);
    }
}

/// Adds "Page n of m" at the foot of every page when there is more than one.
fn number_pages(layout: &Layout<'_>, mut pages: Vec<Vec<Mark>>) -> Vec<Vec<Mark>> {
    let count = pages.len();
    if count > 1 {
        for (index, page) in pages.iter_mut().enumerate() {
            let text = format!("Page {} of {count}  第 {} 页，共 {count} 页", index + 1, index + 1);
            let x = RIGHT_EDGE - layout.width(&text, BODY - 1.0);
            page.push(Mark::Text { x, y: PAGE_HEIGHT - MARGIN / 2.0, size: BODY - 1.0, gray: MUTED, text });
        }
    }
    pages
}

fn fill(gray: u8) -> Fill {
    Fill { paint: rgb::Color::new(gray, gray, gray).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

fn draw(pages: Vec<Vec<Mark>>, invoice: &InvoiceView, font: &LoadedFont) -> Result<Vec<u8>, String> {
    let mut document = Document::new();
    let mut metadata = Metadata::new()
        .title(invoice.number.clone().unwrap_or_else(|| "Invoice".to_owned()))
        .creator("Bazaar".to_owned())
        .language("zh-CN".to_owned());
    if let Some(at) = invoice.issued_at {
        let year = u16::try_from(at.year()).unwrap_or(1970);
        let when = DateTime::new(year).month(u8::from(at.month())).day(at.day()).hour(at.hour()).minute(at.minute());
        metadata = metadata.creation_date(when.second(at.second()).utc_offset_hour(0));
    }
    document.set_metadata(metadata);
    let size = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("A4 is a page size")?;
    for marks in pages {
        let mut page = document.start_page_with(size.clone());
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text { x, y, size, gray, text } => {
                    surface.set_fill(Some(fill(gray)));
                    let start = Point::from_xy(x, y);
                    surface.draw_text(start, font.font.clone(), size, &text, false, TextDirection::LeftToRight);
                }
                Mark::Rule { x, y, width, thickness } => {
                    let mut path = PathBuilder::new();
                    path.push_rect(Rect::from_xywh(x, y, width, thickness).ok_or("a rule has a size")?);
                    surface.set_fill(Some(fill(150)));
                    surface.draw_path(&path.finish().ok_or("a rule is a path")?);
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|error| format!("the PDF could not be written: {error:?}"))
}
