package jpmacct.sfacctd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.ConfigParser;
import jpmacct.core.config.ConfigResolver;
import jpmacct.core.config.CoreKeys;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.net.MapRegistry;
import jpmacct.core.runtime.DaemonCli;
import jpmacct.sfacctd.decode.SflowSettings;

/** sfacctd's keys renamed or added by pmacct 1.7.9 and later, resolved with sfacctd's own key set. */
class SfacctdKeysTest {

    private static DaemonConfig resolve(String... lines) throws ConfigException {
        List<String> file = new ArrayList<>(List.of("plugins: print"));
        file.addAll(List.of(lines));
        return new ConfigResolver(DaemonKind.SFACCTD, DaemonCli.registry(Sfacctd.SPEC.keys(), Map.of()), Set.of("print"))
                .resolve(ConfigParser.parse("s.conf", file), List.of(), true);
    }

    /** pmacct 1.7.9's name of sfacctd_disable_checks; true (the default) leaves sequence gaps counted, not logged. */
    @Test
    void sanityChecksKeyIsAnAliasOfDisableChecks() throws Exception {
        assertFalse(SflowSettings.from(resolve(), new MapRegistry()).sequenceWarnings());
        assertTrue(SflowSettings.from(resolve("sfacctd_disable_sanity_checks: false"), new MapRegistry())
                .sequenceWarnings());
        assertFalse(SflowSettings.from(resolve("sfacctd_disable_sanity_checks: TRUE"), new MapRegistry())
                .sequenceWarnings());
    }

    @Test
    void stitchingIsSfacctdsNameOfTheKey() throws Exception {
        assertEquals(false, resolve("sfacctd_stitching: false").plugins().get(0).get(CoreKeys.STITCHING));
        assertEquals(true, resolve("sfacctd_stitching: true").plugins().get(0).get(CoreKeys.STITCHING));
        assertEquals("s.conf:2: key 'sfacctd_stitching': invalid value 'yes please' (not a boolean); expected true or "
                + "false", assertThrows(ConfigException.class, () -> resolve("sfacctd_stitching: yes please")).getMessage());
    }
}
