package dev.gatehouse.dashboard;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's one JSON endpoint. Reading it needs the Reader role for every subscription (it lists them all);
 * {@code security.Access} decides that, like for the API. It is the page's own contract, not part of the
 * documented REST API: hidden from the OpenAPI document and free to change with the page.
 */
@Hidden
@RestController
class DashboardController {

    static final String SUMMARY = "/dashboard/api/summary";

    private final SummaryAssembler assembler;

    DashboardController(SummaryAssembler assembler) {
        this.assembler = assembler;
    }

    @GetMapping(SUMMARY)
    ResponseEntity<DashboardSummary> summary() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(assembler.summary());
    }
}
