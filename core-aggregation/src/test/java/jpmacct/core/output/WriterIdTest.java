package jpmacct.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** writer_id_string as pmacct's dynname tokens read it: variables of letters, digits and '_', text between. */
class WriterIdTest {

    @Test
    void pmacctsDefaultIsTheNameSlashThePid() {
        assertEquals("nfacctd_kafka/4242", WriterId.parse(WriterId.DEFAULT).expand("nfacctd_kafka", 4242, "b"));
    }

    @Test
    void variablesTextAndCaseAsPmacctReadsThem() {
        WriterId id = WriterId.parse("collector-$proc_name:$WRITER_PID ($Pmacct_Build)");
        assertEquals("collector-k1:7 (1.7.7-jpmacct-0.1.0)", id.expand("k1", 7, "1.7.7-jpmacct-0.1.0"));
        assertEquals("$proc_name", WriterId.parse("$proc_name").toString());
        assertEquals("static text", WriterId.parse("static text").expand("k1", 7, "b"));
        assertEquals("k17", WriterId.parse("$proc_name$writer_pid").expand("k1", 7, "b"));
    }

    @Test
    void unknownVariablesAndALoneDollarAreRefused() {
        // '_' belongs to a variable's name, so it does not separate one from text
        assertEquals("unknown variable '$proc_name_x'",
                assertThrows(IllegalArgumentException.class, () -> WriterId.parse("$proc_name_x")).getMessage());
        assertEquals("unknown variable '$pid'",
                assertThrows(IllegalArgumentException.class, () -> WriterId.parse("a/$pid")).getMessage());
        assertEquals("'$' without a variable name",
                assertThrows(IllegalArgumentException.class, () -> WriterId.parse("cost: 5$")).getMessage());
        assertEquals("'$' without a variable name",
                assertThrows(IllegalArgumentException.class, () -> WriterId.parse("$$proc_name")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> WriterId.parse(""));
    }
}
