#ifndef LCBE_TESTS_SIMULATOR_HTTP_CLIENT_H_
#define LCBE_TESTS_SIMULATOR_HTTP_CLIENT_H_

#include <curl/curl.h>

#include <string>
#include <vector>

namespace lcbe::sim::testing {

// One HTTP exchange as a test sees it.
struct Fetched {
  long status = 0;
  std::string body;
  std::string headers;  // raw header block, lower-cased
};

// Sends one request with libcurl and returns the answer; status 0 means
// the transfer itself failed.
inline Fetched Fetch(const std::string& url,
                     const std::vector<std::string>& headers = {},
                     const std::string& method = "GET",
                     const std::string& body = "") {
  Fetched fetched;
  CURL* curl = curl_easy_init();
  curl_slist* header_list = nullptr;
  for (const auto& header : headers) {
    header_list = curl_slist_append(header_list, header.c_str());
  }
  auto append = +[](char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  };
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &fetched.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &fetched.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &fetched.status);
  }
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);
  for (char& c : fetched.headers) c = static_cast<char>(std::tolower(c));
  return fetched;
}

}  // namespace lcbe::sim::testing

#endif  // LCBE_TESTS_SIMULATOR_HTTP_CLIENT_H_
