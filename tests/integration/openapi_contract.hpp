// Checks real responses against openapi/openapi.json: that the operation exists, that the status
// is one it documents, that the media type is the documented one, and that a JSON body satisfies
// the documented schema (the JSON Schema 2020-12 keywords the document uses: $ref, type,
// properties, required, additionalProperties, items, enum, const, oneOf, anyOf, allOf, min/max
// Length, pattern, min/maxItems, maxProperties, minimum/maximum and the formats date-time, date,
// uri, email and uuid). Objects that list their properties may not carry others. It remembers which
// operations were seen answering a 2xx, so a test can require that every documented operation was
// exercised.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace rapport::testing {

class OpenApiContract {
 public:
  explicit OpenApiContract(boost::json::value document);

  // The problems with one exchange (empty when it conforms). `path` may carry a query string.
  // When the server accepted the request (2xx), its body must satisfy the documented request
  // schema too: the document's request shapes are the ones that work.
  // With `headers` (names lower-cased), every header the response documents as required must be
  // there, and one documented as an integer must hold one.
  std::vector<std::string> Check(
      const std::string& method, const std::string& path, const std::string& request_body,
      int status, const std::string& content_type, const std::string& body,
      const std::vector<std::pair<std::string, std::string>>* headers = nullptr);
  // Every problem `value` has against `schema` (resolved in this document), at `where`.
  std::vector<std::string> Validate(const boost::json::value& schema,
                                    const boost::json::value& value,
                                    const std::string& where = "") const;

  // "METHOD /template" of each documented operation not yet seen answering a 2xx.
  std::vector<std::string> Unexercised() const;
  // How many documented operations there are, and statuses seen per operation.
  size_t operation_count() const { return operations_.size(); }
  const std::map<std::string, std::set<int>>& statuses_seen() const { return seen_; }

 private:
  struct Operation {
    std::string method;  // upper case
    std::string path_template;
    std::vector<std::string> segments;
    const boost::json::object* responses = nullptr;
    const boost::json::value* request_schema = nullptr;  // application/json, when documented
  };
  const Operation* Find(const std::string& method, const std::string& path) const;
  const boost::json::value& Resolve(const boost::json::value& schema) const;
  std::vector<std::string> CheckHeaders(
      const boost::json::object& response,
      const std::vector<std::pair<std::string, std::string>>& headers) const;
  void ValidateInto(const boost::json::value& schema, const boost::json::value& value,
                    const std::string& where, std::vector<std::string>& problems, int depth) const;

  boost::json::value document_;
  std::vector<Operation> operations_;
  std::map<std::string, std::set<int>> seen_;  // "METHOD /template" -> statuses
};

}  // namespace rapport::testing
