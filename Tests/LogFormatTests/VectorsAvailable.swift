import Testing
import TestSupport

@Test func vectorsFolderIsReachable() {
    // Under CI=true a missing ../shared/vectors fails here, loudly, once per suite.
    _ = Vectors.folder("")
}
