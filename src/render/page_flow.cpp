#include "page_flow.hpp"

#include <fmt/format.h>

namespace rapport::render {

Flow::Flow(Canvas& canvas, std::string footer_left, int total_pages)
    : canvas_(canvas), footer_left_(std::move(footer_left)), total_pages_(total_pages) {}

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
  c.Text(kMargin, flow.y(), kContentWidth, 12, kind,
         {.size = 8, .bold = true, .color = palette::kAccent});
  flow.Advance(14);
  flow.Advance(c.Paragraph(kMargin, flow.y(), kContentWidth, title,
                           {.size = 20, .bold = true, .color = palette::kInk}, 2) +
               4);
  for (const auto& line : lines) {
    c.Text(kMargin, flow.y(), kContentWidth, 13, line, {.size = 9, .color = palette::kMuted});
    flow.Advance(13);
  }
  flow.Advance(6);
  c.Line(kMargin, flow.y(), kMargin + kContentWidth, flow.y(), palette::kRule, 0.75);
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
