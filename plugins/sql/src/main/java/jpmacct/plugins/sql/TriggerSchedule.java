package jpmacct.plugins.sql;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import jpmacct.core.aggregate.TimeBins;
import jpmacct.core.config.History;
import jpmacct.core.plugin.RefreshTimer;

/**
 * When {@code sql_trigger_exec} runs with {@code sql_trigger_time}: every period, aligned like the purges on the
 * history round-off and later by {@code sql_startup_delay}; months are calendar months.
 */
final class TriggerSchedule {
    private final History period;
    private final RefreshTimer fixed;
    private ZoneId zone;
    private long monthlyDeadlineMillis;

    TriggerSchedule(History period) {
        this.period = period;
        this.fixed = period.monthly() ? null : new RefreshTimer(period.seconds());
    }

    void start(long nowMillis, String roundoff, ZoneId zone, long delayMillis) {
        this.zone = zone;
        if (fixed != null) {
            fixed.start(nowMillis, roundoff, zone, delayMillis);
            return;
        }
        ZonedDateTime t = Instant.ofEpochSecond(TimeBins.roundoff(nowMillis / 1000, "d", zone)).atZone(zone);
        monthlyDeadlineMillis = t.plusMonths(period.count()).toInstant().toEpochMilli() + delayMillis;
    }

    /** Whether the trigger is due; if so, the next deadline moves past {@code nowMillis}. */
    boolean due(long nowMillis) {
        if (fixed != null) {
            return fixed.due(nowMillis);
        }
        if (nowMillis < monthlyDeadlineMillis) {
            return false;
        }
        while (monthlyDeadlineMillis <= nowMillis) {
            monthlyDeadlineMillis = Instant.ofEpochMilli(monthlyDeadlineMillis).atZone(zone).plusMonths(period.count())
                    .toInstant().toEpochMilli();
        }
        return true;
    }
}
