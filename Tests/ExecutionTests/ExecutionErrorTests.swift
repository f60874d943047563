import Testing
@testable import Execution

struct ExecutionErrorTests {
    @Test func messagesNameTheCauseAndTheRemedy() {
        let tooLarge = ExecutionError.resultTooLarge(bytes: 2_000_000, limit: 1_000_000).description
        #expect(tooLarge.contains("spark.driver.maxResultSize"))
        #expect(tooLarge.contains("LIMIT"))
        #expect(ExecutionError.arithmetic(expression: "(a + b)", detail: "integer overflow").description
            == "cannot compute (a + b): integer overflow")
    }
}
