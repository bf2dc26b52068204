// The allow-list SVG sanitiser (logo_check.hpp): libxml2 parses, and the output is written from
// scratch by walking the tree, so nothing the list does not name can reach the stored logo.
#include "logo_check.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <memory>

namespace rapport::api {
namespace {

constexpr std::string_view kSvgNamespace = "http://www.w3.org/2000/svg";
constexpr std::string_view kXlinkNamespace = "http://www.w3.org/1999/xlink";

constexpr std::string_view kElements[] = {
    "svg",      "g",        "defs",  "title",  "desc",           "symbol",
    "use",      "path",     "rect",  "circle", "ellipse",        "line",
    "polyline", "polygon",  "text",  "tspan",  "linearGradient", "radialGradient",
    "stop",     "clipPath", "style", "mask"};

constexpr std::string_view kAttributes[] = {"id",
                                            "class",
                                            "viewBox",
                                            "width",
                                            "height",
                                            "x",
                                            "y",
                                            "x1",
                                            "y1",
                                            "x2",
                                            "y2",
                                            "cx",
                                            "cy",
                                            "r",
                                            "rx",
                                            "ry",
                                            "fx",
                                            "fy",
                                            "d",
                                            "points",
                                            "transform",
                                            "fill",
                                            "fill-opacity",
                                            "fill-rule",
                                            "stroke",
                                            "stroke-width",
                                            "stroke-opacity",
                                            "stroke-linecap",
                                            "stroke-linejoin",
                                            "stroke-miterlimit",
                                            "stroke-dasharray",
                                            "stroke-dashoffset",
                                            "opacity",
                                            "offset",
                                            "stop-color",
                                            "stop-opacity",
                                            "gradientUnits",
                                            "gradientTransform",
                                            "spreadMethod",
                                            "font-family",
                                            "font-size",
                                            "font-weight",
                                            "font-style",
                                            "text-anchor",
                                            "dominant-baseline",
                                            "letter-spacing",
                                            "clip-path",
                                            "clip-rule",
                                            "clipPathUnits",
                                            "mask",
                                            "maskUnits",
                                            "preserveAspectRatio",
                                            "version",
                                            "dx",
                                            "dy",
                                            "visibility",
                                            "display",
                                            "style",
                                            "href",
                                            "color",
                                            "vector-effect",
                                            "xml:space"};

template <size_t N>
bool Listed(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

std::string_view View(const xmlChar* text) {
  return text == nullptr ? std::string_view() : reinterpret_cast<const char*>(text);
}

// Lower-cased, without whitespace: what a CSS or attribute value means to a browser's tokenizer
// as far as url( and @import are concerned.
std::string Squeezed(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// Whether every url( in `value` refers to a fragment of this document.
bool OnlyLocalUrls(std::string_view value) {
  std::string s = Squeezed(value);
  for (size_t pos = s.find("url("); pos != std::string::npos; pos = s.find("url(", pos + 4)) {
    size_t target = pos + 4;
    if (target < s.size() && (s[target] == '"' || s[target] == '\'')) ++target;
    if (target >= s.size() || s[target] != '#') return false;
  }
  return true;
}

// Style text (an attribute or a <style> element) that can fetch or run nothing.
bool SafeStyle(std::string_view css) {
  std::string s = Squeezed(css);
  for (std::string_view bad : {"url(", "@import", "\\", "expression(", "javascript:", "<"}) {
    if (s.find(bad) != std::string::npos) return false;
  }
  return true;
}

void AppendEscaped(std::string& out, std::string_view text, bool attribute) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      default:
        out += c;
    }
  }
}

// The attribute's name as written out ("href" for xlink:href, "xml:space"), or "" to drop it.
std::string AttributeName(const xmlAttr* attr) {
  std::string_view local = View(attr->name);
  std::string_view ns = attr->ns != nullptr ? View(attr->ns->href) : std::string_view();
  if (ns == kXlinkNamespace) return local == "href" ? "href" : "";
  if (ns == "http://www.w3.org/XML/1998/namespace") return local == "space" ? "xml:space" : "";
  if (!ns.empty()) return "";
  return Listed(kAttributes, local) && local != "xml:space" ? std::string(local) : "";
}

bool KeepAttributeValue(std::string_view name, std::string_view value) {
  if (name == "href") return !value.empty() && value.front() == '#';
  if (name == "style") return SafeStyle(value);
  return OnlyLocalUrls(value);
}

std::string NodeText(const xmlNode* node) {
  std::string text;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) text += View(c->content);
  }
  return text;
}

bool IsSvgElement(const xmlNode* node) {
  return node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         View(node->ns->href) == kSvgNamespace && Listed(kElements, View(node->name));
}

void WriteElement(const xmlNode* node, std::string& out, bool root);

void WriteChildren(const xmlNode* node, std::string& out) {
  bool text_allowed = View(node->name) == "text" || View(node->name) == "tspan" ||
                      View(node->name) == "title" || View(node->name) == "desc";
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (IsSvgElement(c)) {
      WriteElement(c, out, false);
    } else if (text_allowed && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)) {
      AppendEscaped(out, View(c->content), false);
    }
  }
}

void WriteElement(const xmlNode* node, std::string& out, bool root) {
  std::string_view name = View(node->name);
  std::string style_text;
  if (name == "style") {
    style_text = NodeText(node);
    if (!SafeStyle(style_text)) return;
  }
  out += "<";
  out += name;
  if (root) out += " xmlns=\"http://www.w3.org/2000/svg\"";
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    std::string attr = AttributeName(a);
    if (attr.empty()) continue;
    std::unique_ptr<xmlChar, void (*)(void*)> value(xmlNodeListGetString(node->doc, a->children, 1),
                                                    xmlFree);
    if (!KeepAttributeValue(attr, View(value.get()))) continue;
    out += " " + attr + "=\"";
    AppendEscaped(out, View(value.get()), true);
    out += "\"";
  }
  out += ">";
  if (name == "style") {
    AppendEscaped(out, style_text, false);
  } else {
    WriteChildren(node, out);
  }
  out += "</";
  out += name;
  out += ">";
}

bool DeclaresDoctypeOrEntity(std::string_view bytes) {
  std::string upper;
  upper.reserve(bytes.size());
  for (char c : bytes) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper.find("<!DOCTYPE") != std::string::npos ||
         upper.find("<!ENTITY") != std::string::npos;
}

void IgnoreXmlError(void*, xmlErrorPtr) {}

}  // namespace

SanitizedSvg SanitizeSvg(std::string_view bytes) {
  if (DeclaresDoctypeOrEntity(bytes)) {
    return {"", "must not contain a DOCTYPE or entity declarations"};
  }
  xmlSetStructuredErrorFunc(nullptr, IgnoreXmlError);  // per thread: keep libxml2 off stderr
  std::unique_ptr<xmlParserCtxt, void (*)(xmlParserCtxtPtr)> ctxt(xmlNewParserCtxt(),
                                                                  xmlFreeParserCtxt);
  if (!ctxt) return {"", "could not be parsed"};
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
      xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), "logo.svg",
                        nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      xmlFreeDoc);
  if (!doc || !ctxt->wellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string why = e != nullptr && e->message != nullptr ? e->message : "malformed";
    while (!why.empty() && std::isspace(static_cast<unsigned char>(why.back()))) why.pop_back();
    int line = e != nullptr ? e->line : 0;
    int column = e != nullptr ? e->int2 : 0;
    return {"", "is not well-formed XML at line " + std::to_string(line) + ", column " +
                    std::to_string(column) + ": " + why};
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return {"", "must not contain a DOCTYPE or entity declarations"};
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || View(root->name) != "svg" || root->ns == nullptr ||
      View(root->ns->href) != kSvgNamespace) {
    return {"", "must have an <svg> root element in the SVG namespace (xmlns=\"" +
                    std::string(kSvgNamespace) + "\")"};
  }
  SanitizedSvg out;
  WriteElement(root, out.svg, true);
  return out;
}

}  // namespace rapport::api
