import Foundation
@testable import KaiyuanSources
import TestSupport
import XCTest

/// The shared HTTP client against a server on 127.0.0.1: rate limits, retries, paging.
final class HTTPClientTests: XCTestCase {
    var server: LocalHTTPServer!
    override func setUpWithError() throws { server = try LocalHTTPServer() }
    override func tearDownWithError() throws { server.stop() }

    var client: HTTPClient { HTTPClient(retries: 2, initialBackoff: 0.01, timeout: 10, maxRateLimitWait: 5) }

    func testRateLimitsAreWaitedOutWithoutUsingRetries() async throws {
        server.serve("/r", Data("ok".utf8))
        server.rateLimit("/r", times: 3, retryAfter: 1)
        let start = Date()
        let r = try await client.get(server.baseURL.appendingPathComponent("r"))
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "ok")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 2.9, "Retry-After: 1, three times")
        XCTAssertEqual(server.requestLog().count, 4, "three limited answers, more than the 2 retries, then the page")
    }

    func testA403WithAnExhaustedQuotaIsARateLimit() async throws {
        server.serve("/q", Data("ok".utf8))
        server.rateLimit("/q", times: 1, retryAfter: 0, status: 403)
        let r = try await client.get(server.baseURL.appendingPathComponent("q"))
        XCTAssertEqual(r.status, 200)
    }

    func testALongerWaitThanAllowedFailsAndSaysSo() async throws {
        server.serve("/slow", Data("ok".utf8))
        server.rateLimit("/slow", times: 1, retryAfter: 3600)
        do {
            _ = try await client.get(server.baseURL.appendingPathComponent("slow"))
            XCTFail("should have failed")
        } catch {
            XCTAssertTrue("\(error)".contains("/slow") && "\(error)".contains("3600 s more"), "\(error)")
        }
    }

    func testServerErrorsAreRetriedThenReported() async throws {
        server.serve("/e", Data("ok".utf8))
        server.fail("/e", times: 2)
        let r = try await client.get(server.baseURL.appendingPathComponent("e"))
        XCTAssertEqual(r.status, 200)
        server.fail("/e", times: 5)
        do {
            _ = try await client.get(server.baseURL.appendingPathComponent("e"))
            XCTFail("should have failed")
        } catch {
            XCTAssertTrue("\(error)".contains("HTTP 503") && "\(error)".contains("gave up after 3 tries"), "\(error)")
        }
    }

    func testNotFoundIsNotRetried() async throws {
        do {
            _ = try await client.get(server.baseURL.appendingPathComponent("nothing"))
            XCTFail("should have failed")
        } catch let error as HTTPClient.Failure {
            XCTAssertEqual(error, .notFound(server.baseURL.appendingPathComponent("nothing")))
        }
        XCTAssertEqual(server.requestLog().count, 1)
    }

    func testPagesFollowLinkHeaders() async throws {
        let base = server.baseURL.absoluteString
        server.serve("/items?page=1", Data("a".utf8))
        server.headers("/items?page=1", "Link: <\(base)items?page=2>; rel=\"next\", <\(base)items?page=3>; rel=\"last\"")
        server.serve("/items?page=2", Data("b".utf8))
        server.headers("/items?page=2", "Link: <\(base)items?page=3>; rel=\"next\"")
        server.serve("/items?page=3", Data("c".utf8))
        server.headers("/items?page=3", "Link: <\(base)items?page=1>; rel=\"first\"")
        var bodies: [String] = []
        try await client.pages(URL(string: base + "items?page=1")!) { bodies.append(String(decoding: $0.body, as: UTF8.self)) }
        XCTAssertEqual(bodies, ["a", "b", "c"])
    }

    func testPagesFollowGiteesTotalPage() async throws {
        let base = server.baseURL.absoluteString
        for p in 1...3 {
            server.serve("/v5/repos/o/r/issues?per_page=100&page=\(p)", Data("p\(p)".utf8))
            server.headers("/v5/repos/o/r/issues?per_page=100&page=\(p)", "total_page: 3\r\ntotal_count: 250")
        }
        var bodies: [String] = []
        try await client.pages(URL(string: base + "v5/repos/o/r/issues?per_page=100&page=1")!) { bodies.append(String(decoding: $0.body, as: UTF8.self)) }
        XCTAssertEqual(bodies, ["p1", "p2", "p3"])
    }
}
