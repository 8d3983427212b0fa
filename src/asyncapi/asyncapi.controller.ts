import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RealtimeService } from '../realtime/realtime.service';
import { buildAsyncApi } from './asyncapi.document';
import { renderAsyncApiHtml } from './asyncapi.html';
import { GATEWAY_CONTRACTS } from './gateway-contracts';

/** The WebSocket contract in the open: AsyncAPI 3.0 JSON and a page to read it. Public, like /docs. */
@ApiTags('docs')
@Controller()
export class AsyncApiController {
  private cached: { json: Record<string, unknown>; html: string } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly realtime: RealtimeService,
  ) {}

  @Get('asyncapi.json')
  @ApiOperation({ summary: 'AsyncAPI 3.0 document of the six WebSocket gateways' })
  @ApiOkResponse({ description: 'AsyncAPI 3.0 JSON' })
  document(): Record<string, unknown> {
    return this.build().json;
  }

  @Get('docs/ws')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiExcludeEndpoint()
  page(): string {
    return this.build().html;
  }

  /** Built on first use, once the gateways have registered their (possibly configured) paths. */
  private build(): { json: Record<string, unknown>; html: string } {
    if (!this.cached) {
      const paths = Object.fromEntries(this.realtime.gatewayPaths().map((g) => [g.name, g.path]));
      const json = buildAsyncApi(GATEWAY_CONTRACTS, { publicUrl: this.config.http.publicUrl, version: '1', paths });
      this.cached = { json, html: renderAsyncApiHtml(json) };
    }
    return this.cached;
  }
}
