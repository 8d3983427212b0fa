import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UploadedFile } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { ImageUpload } from '../media/image-upload.interceptor';
import { AttendanceImageUrls } from './attendance-image-urls';
import { AttendanceClientsService } from './attendance-clients.service';
import { clientResource, UrlOf, visitResource } from './attendance.wire';
import { ClientResourceDto as ClientDto, CreateClientDto, MergeClientsDto, SplitVisitResultDto, UpdateClientDto } from './dto/client.dto';
import { PageQuery, RangeQuery } from './dto/list-query.dto';
import { CreateVisitDto, UpdateVisitDto, VisitDto } from './dto/visit.dto';

const BACK_OFFICE = { roles: ['admin', 'manager'] } as const;

@ApiTags('attendance')
@Controller('api/attendance/clients')
@Authenticated(BACK_OFFICE)
export class AttendanceClientsController {
  private readonly url: UrlOf;

  constructor(
    private readonly clients: AttendanceClientsService,
    urls: AttendanceImageUrls,
  ) {
    this.url = urls.url;
  }

  @Get()
  @ApiOkResponse({ type: [ClientDto], description: 'Newest first' })
  async list(@Query() q: PageQuery): Promise<ClientDto[]> {
    return (await this.clients.list(q)).map((c) => clientResource(c, this.url));
  }

  @Get(':id')
  @ApiOkResponse({ type: ClientDto })
  async get(@Param('id', ParseIdPipe) id: number): Promise<ClientDto> {
    return clientResource(await this.clients.get(id), this.url);
  }

  @Post()
  @ImageUpload('image')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: CreateClientDto })
  @ApiCreatedResponse({ type: ClientDto })
  async create(@Body() dto: CreateClientDto, @UploadedFile() image?: Express.Multer.File): Promise<ClientDto> {
    return clientResource(await this.clients.create(dto, image), this.url);
  }

  @Patch(':id')
  @ImageUpload('image')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: UpdateClientDto })
  @ApiOkResponse({ type: ClientDto })
  async update(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateClientDto, @UploadedFile() image?: Express.Multer.File): Promise<ClientDto> {
    return clientResource(await this.clients.update(id, dto, image), this.url);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.clients.remove(id);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientDto, description: 'The kept client, recounted; the other is deleted (client_update, client_delete)' })
  async merge(@Param('id', ParseIdPipe) id: number, @Body() dto: MergeClientsDto): Promise<ClientDto> {
    return clientResource(await this.clients.merge(id, dto.from_client_id), this.url);
  }

  @Post(':id/visits/:visitId/split')
  @ApiCreatedResponse({ type: SplitVisitResultDto, description: 'The visit now belongs to a new client' })
  async split(@Param('id', ParseIdPipe) id: number, @Param('visitId', ParseIdPipe) visitId: number): Promise<SplitVisitResultDto> {
    const r = await this.clients.split(id, visitId);
    return { client: clientResource(r.client, this.url), visit: visitResource(r.visit, this.url) };
  }

  @Get(':id/visits')
  @ApiOkResponse({ type: [VisitDto], description: 'Newest first' })
  async visits(@Param('id', ParseIdPipe) id: number, @Query() q: RangeQuery): Promise<VisitDto[]> {
    return (await this.clients.listVisits(id, q)).map((v) => visitResource(v, this.url));
  }

  @Post(':id/visits')
  @ApiCreatedResponse({ type: VisitDto })
  async addVisit(@Param('id', ParseIdPipe) id: number, @Body() dto: CreateVisitDto): Promise<VisitDto> {
    return visitResource(await this.clients.createVisit(id, dto), this.url);
  }

  @Patch(':id/visits/:visitId')
  @ApiOkResponse({ type: VisitDto })
  async updateVisit(@Param('id', ParseIdPipe) id: number, @Param('visitId', ParseIdPipe) visitId: number, @Body() dto: UpdateVisitDto): Promise<VisitDto> {
    return visitResource(await this.clients.updateVisit(id, visitId, dto), this.url);
  }

  @Delete(':id/visits/:visitId')
  @HttpCode(204)
  @ApiNoContentResponse()
  removeVisit(@Param('id', ParseIdPipe) id: number, @Param('visitId', ParseIdPipe) visitId: number): Promise<void> {
    return this.clients.removeVisit(id, visitId);
  }
}
