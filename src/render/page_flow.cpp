#include "page_flow.hpp"

#include <fmt/format.h>

#include <cctype>

namespace rapport::render {

namespace {

constexpr double kLogoHeight = 28;
constexpr std::string_view kRapport = "Rapport";

// "#RRGGBB" as a colour; `fallback` when it is not one.
Rgb AccentOf(const PdfBranding& branding, Rgb fallback) {
  const std::string& s = branding.accent_color;
  if (s.size() != 7 || s[0] != '#') return fallback;
  unsigned value = 0;
  for (char ch : s.substr(1)) {
    int digit = std::isdigit(static_cast<unsigned char>(ch))
                    ? ch - '0'
                    : std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10;
    if (digit < 0 || digit > 15) return fallback;
    value = value * 16 + static_cast<unsigned>(digit);
  }
  return Hex(value);
}

// The branded footer: the tenant's name where the footer names Rapport.
std::string FooterFor(std::string footer, const PdfBranding& branding) {
  if (!branding.name.empty() && footer.starts_with(kRapport)) {
    footer.replace(0, kRapport.size(), branding.name);
  }
  return footer;
}

// The logo and the name above the cover.
void BrandBand(Flow& flow, const PdfBranding& branding, Rgb accent) {
  Canvas& c = flow.canvas();
  double x = kMargin;
  double logo = c.Image(x, flow.y(), kLogoHeight, kContentWidth / 3, branding.logo_content_type,
                        branding.logo);
  if (logo > 0) x += logo + 10;
  if (!branding.name.empty()) {
    c.Text(x, flow.y(), kMargin + kContentWidth - x, kLogoHeight, branding.name,
           {.size = 13, .bold = true, .color = accent});
  }
  flow.Advance(kLogoHeight + 10);
}

}  // namespace

Flow::Flow(Canvas& canvas, std::string footer_left, int total_pages, const PdfBranding& branding)
    : canvas_(canvas),
      footer_left_(FooterFor(std::move(footer_left), branding)),
      total_pages_(total_pages),
      branding_(branding) {}

void Flow::Need(double height) {
  if (y_ + height > kContentBottom && y_ > kMargin) BreakPage();
}

void Flow::BreakPage() {
  Footer();
  canvas_.NewPage();
  y_ = kMargin;
}

void Flow::Heading(const std::string& title, const std::string& caption, double keep_with) {
  double height = 22 + (caption.empty() ? 0 : 14);
  Need(height + keep_with);
  canvas_.Text(kMargin, y_, kContentWidth, 18, title,
               {.size = 11.5, .bold = true, .color = palette::kInk});
  canvas_.Bookmark(title, y_);
  y_ += 20;
  if (!caption.empty()) {
    canvas_.Text(kMargin, y_, kContentWidth, 12, caption, {.size = 8, .color = palette::kMuted});
    y_ += 14;
  }
  y_ += 2;
}

void Flow::Footer() {
  double top = Canvas::kPageHeight - 34;
  canvas_.Line(kMargin, top, kMargin + kContentWidth, top, palette::kRule, 0.5);
  TextStyle style{.size = 7.5, .color = palette::kMuted};
  canvas_.Text(kMargin, top + 4, kContentWidth - 90, 12, footer_left_, style);
  style.align = Align::kRight;
  canvas_.Text(kMargin + kContentWidth - 90, top + 4, 90, 12,
               fmt::format("page {} of {}", canvas_.page(), total_pages_), style);
}

Status Flow::Finish() {
  Footer();
  return canvas_.Finish();
}

void Cover(Flow& flow, const std::string& kind, const std::string& title,
           const std::vector<std::string>& lines) {
  Canvas& c = flow.canvas();
  const PdfBranding& branding = flow.branding();
  Rgb accent = AccentOf(branding, palette::kAccent);
  if (!branding.name.empty() || !branding.logo.empty()) BrandBand(flow, branding, accent);
  c.Text(kMargin, flow.y(), kContentWidth, 12, kind, {.size = 8, .bold = true, .color = accent});
  flow.Advance(14);
  flow.Advance(c.Paragraph(kMargin, flow.y(), kContentWidth, title,
                           {.size = 20, .bold = true, .color = palette::kInk}, 2) +
               4);
  for (const auto& line : lines) {
    c.Text(kMargin, flow.y(), kContentWidth, 13, line, {.size = 9, .color = palette::kMuted});
    flow.Advance(13);
  }
  flow.Advance(6);
  if (branding.accent_color.empty()) {
    c.Line(kMargin, flow.y(), kMargin + kContentWidth, flow.y(), palette::kRule, 0.75);
  } else {
    c.Line(kMargin, flow.y(), kMargin + kContentWidth, flow.y(), accent, 1.5);
  }
  flow.Advance(12);
}

void Tiles(Flow& flow, const std::vector<Tile>& tiles) {
  Canvas& c = flow.canvas();
  constexpr double kGap = 10, kHeight = 54;
  double width = (kContentWidth - 2 * kGap) / 3;
  for (size_t i = 0; i < tiles.size(); ++i) {
    double x = kMargin + static_cast<double>(i % 3) * (width + kGap);
    double y = flow.y() + static_cast<double>(i / 3) * (kHeight + kGap);
    c.FillRect(x, y, width, kHeight, palette::kPanel);
    c.Text(x + 10, y + 6, width - 20, 12, tiles[i].label, {.size = 7.5, .color = palette::kMuted});
    c.Text(x + 10, y + 18, width - 20, 20, tiles[i].value,
           {.size = 15, .bold = true, .color = tiles[i].color});
    c.Text(x + 10, y + 38, width - 20, 11, tiles[i].note, {.size = 7.5, .color = palette::kMuted});
  }
  flow.Advance(static_cast<double>((tiles.size() + 2) / 3) * (kHeight + kGap) + 6);
}

Table::Table(Flow& flow, std::string title, std::vector<Column> columns)
    : flow_(flow), title_(std::move(title)), columns_(std::move(columns)) {}

void Table::Header() {
  Canvas& c = flow_.canvas();
  double y = flow_.y();
  c.FillRect(kMargin, y, kContentWidth, kHeaderHeight, palette::kInk);
  double x = kMargin;
  for (const auto& col : columns_) {
    c.Text(x + 4, y, col.width - 8, kHeaderHeight, col.title,
           {.size = 8, .bold = true, .color = palette::kWhite, .align = col.align});
    x += col.width;
  }
  flow_.Advance(kHeaderHeight);
}

void Table::Row(const std::vector<Cell>& cells, const Rgb* background) {
  if (!started_) {
    flow_.Need(kHeaderHeight + kRowHeight);
    Header();
    started_ = true;
  } else if (flow_.Remaining() < kRowHeight) {
    flow_.BreakPage();
    flow_.canvas().Text(kMargin, flow_.y(), kContentWidth, 16, title_ + " (continued)",
                        {.size = 9, .bold = true, .color = palette::kMuted});
    flow_.Advance(18);
    Header();
  }
  Canvas& c = flow_.canvas();
  double y = flow_.y();
  if (background) {
    c.FillRect(kMargin, y, kContentWidth, kRowHeight, *background);
  } else if (rows_ % 2 == 1) {
    c.FillRect(kMargin, y, kContentWidth, kRowHeight, palette::kZebra);
  }
  double x = kMargin;
  for (size_t i = 0; i < columns_.size() && i < cells.size(); ++i) {
    c.Text(x + 4, y, columns_[i].width - 8, kRowHeight, cells[i].text,
           {.size = 8, .bold = cells[i].bold, .color = cells[i].color, .align = columns_[i].align});
    x += columns_[i].width;
  }
  c.Line(kMargin, y + kRowHeight, kMargin + kContentWidth, y + kRowHeight, palette::kRule, 0.25);
  flow_.Advance(kRowHeight);
  ++rows_;
}

}  // namespace rapport::render
