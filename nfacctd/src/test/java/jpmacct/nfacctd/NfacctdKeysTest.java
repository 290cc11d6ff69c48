package jpmacct.nfacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jpmacct.collector.CollectorKeys;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.nfacctd.decode.DecoderSettings;
import jpmacct.nfacctd.template.Fields;

/** nfacctd's keys of pmacct 1.7.9 and later, resolved with nfacctd's own key set. */
class NfacctdKeysTest {

    private static DaemonConfig resolve(String... lines) throws ConfigException {
        List<String> file = new ArrayList<>(List.of("plugins: print"));
        file.addAll(List.of(lines));
        return new ConfigResolver(DaemonKind.NFACCTD, DaemonCli.registry(Nfacctd.SPEC.keys(), Map.of()), Set.of("print"))
                .resolve(ConfigParser.parse("n.conf", file), List.of(), true);
    }

    private static DecoderSettings decoding(DaemonConfig c) throws ConfigException {
        return DecoderSettings.from(c, new MapRegistry(), Fields.STANDARD, () -> { });
    }

    /** pmacct 1.7.9 renamed [ns]facctd_disable_checks; same polarity: true (the default) disables the warnings. */
    @Test
    void sanityChecksKeysAreAliasesOfDisableChecks() throws Exception {
        assertFalse(decoding(resolve()).sequenceWarnings(), "default true: gaps counted, not logged");
        assertTrue(decoding(resolve("nfacctd_disable_sanity_checks: false")).sequenceWarnings());
        assertTrue(decoding(resolve("sfacctd_disable_sanity_checks: false")).sequenceWarnings());
        assertFalse(decoding(resolve("nfacctd_disable_sanity_checks: true")).sequenceWarnings());
        assertEquals(false, resolve("nfacctd_disable_checks: false").get(CollectorKeys.DISABLE_CHECKS),
                "the 1.7.7 name still works");
        assertEquals("n.conf:2: key 'nfacctd_disable_sanity_checks': invalid value 'off' (not a boolean); expected "
                + "true or false", assertThrows(ConfigException.class,
                () -> resolve("nfacctd_disable_sanity_checks: off")).getMessage());
    }

    @Test
    void preProcessingChecksSwitchThePaddingCheck() throws Exception {
        assertFalse(decoding(resolve()).paddingChecks(), "pmacct's default");
        assertTrue(decoding(resolve("nfacctd_pre_processing_checks: true")).paddingChecks());
        assertEquals("n.conf:2: key 'nfacctd_pre_processing_checks': invalid value '1' (not a boolean); expected "
                + "true or false", assertThrows(ConfigException.class,
                () -> resolve("nfacctd_pre_processing_checks: 1")).getMessage());
    }

    @Test
    void proRatingIsAcceptedOnlyAsItsDefault() throws Exception {
        assertEquals(false, resolve("nfacctd_pro_rating: false").plugins().get(0).get(NfacctdKeys.PRO_RATING));
        assertEquals("n.conf:2: key 'nfacctd_pro_rating': value 'true' is not supported yet; expected false",
                assertThrows(ConfigException.class, () -> resolve("nfacctd_pro_rating: true")).getMessage());
    }
}
