package jpmacct.plugins.sql.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheLastAndStartsOverAfterAReset() {
        Backoff b = new Backoff(1000, 60_000);
        long[] expected = {1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000};
        for (long e : expected) {
            assertEquals(e, b.next());
        }
        b.reset();
        assertEquals(1000, b.next());
    }

    @Test
    void neverLongerThanTheLast() {
        Backoff b = new Backoff(5000, 2000);
        assertEquals(2000, b.next());
        assertEquals(2000, b.next());
    }
}
