import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { memoryStorage } from 'multer';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal } from '../auth/principal';
import { employeeSnapshot, EmployeesService } from '../employees/employees.service';
import { MediaStorage } from '../media/media-storage';
import { AttendanceService } from './attendance.service';
import { ClientFieldsDto, RecognitionDto, RecordDto, RecordsQuery, UpdateVisitDto, VisitDto } from './dto/attendance.dto';

const image = () => UseInterceptors(FileInterceptor('image', { storage: memoryStorage(), limits: { fileSize: 64 * 1024 * 1024, files: 1 } }));
const BACK_OFFICE = ['admin', 'manager'] as const;

/** Attendance REST (PROTOCOLS §8). */
@ApiTags('attendance')
@Controller('api/attendance')
export class AttendanceController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly employees: EmployeesService,
    private readonly media: MediaStorage,
  ) {}

  @Get('clients')
  @Authenticated({ roles: BACK_OFFICE })
  listClients() {
    return this.attendance.listClients();
  }

  @Get('clients/:id')
  @Authenticated({ roles: BACK_OFFICE })
  getClient(@Param('id', ParseIntPipe) id: number) {
    return this.attendance.getClient(id);
  }

  @Post('clients')
  @Authenticated({ roles: BACK_OFFICE })
  @image()
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: ClientFieldsDto })
  createClient(@Body() dto: ClientFieldsDto, @UploadedFile() file?: Express.Multer.File) {
    return this.attendance.createClient(dto, file);
  }

  @Patch('clients/:id')
  @Authenticated({ roles: BACK_OFFICE })
  @image()
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: ClientFieldsDto })
  updateClient(@Param('id', ParseIntPipe) id: number, @Body() dto: ClientFieldsDto, @UploadedFile() file?: Express.Multer.File) {
    return this.attendance.updateClient(id, dto, file);
  }

  @Delete('clients/:id')
  @HttpCode(204)
  @Authenticated({ roles: BACK_OFFICE })
  deleteClient(@Param('id', ParseIntPipe) id: number) {
    return this.attendance.deleteClient(id);
  }

  @Get('clients/:id/visits')
  @Authenticated({ roles: BACK_OFFICE })
  listVisits(@Param('id', ParseIntPipe) id: number) {
    return this.attendance.listVisits(id);
  }

  @Post('clients/:id/visits')
  @Authenticated({ roles: [...BACK_OFFICE, 'device:camera'] })
  addVisit(@Param('id', ParseIntPipe) id: number, @Body() dto: VisitDto) {
    return this.attendance.addVisit(id, dto);
  }

  @Patch('clients/:id/visits/:visitId')
  @Authenticated({ roles: BACK_OFFICE })
  updateVisit(@Param('id', ParseIntPipe) id: number, @Param('visitId', ParseIntPipe) visitId: number, @Body() dto: UpdateVisitDto) {
    return this.attendance.updateVisit(id, visitId, dto);
  }

  @Delete('clients/:id/visits/:visitId')
  @HttpCode(204)
  @Authenticated({ roles: BACK_OFFICE })
  deleteVisit(@Param('id', ParseIntPipe) id: number, @Param('visitId', ParseIntPipe) visitId: number) {
    return this.attendance.deleteVisit(id, visitId);
  }

  @Post('records')
  @Authenticated({ roles: ['admin', 'device:camera'] })
  @image()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: RecordDto })
  createRecord(@CurrentPrincipal() p: Principal, @Body() dto: RecordDto, @UploadedFile() file?: Express.Multer.File) {
    return this.attendance.createRecord(p, dto, file);
  }

  @Get('records')
  @Authenticated({ roles: BACK_OFFICE })
  listRecords(@Query() q: RecordsQuery) {
    return this.attendance.listRecords(q);
  }

  @Delete('records/:id')
  @HttpCode(204)
  @Authenticated({ roles: BACK_OFFICE })
  deleteRecord(@Param('id', ParseIntPipe) id: number) {
    return this.attendance.deleteRecord(id);
  }

  @Get('summary')
  @Authenticated({ roles: BACK_OFFICE })
  @ApiQuery({ name: 'date', required: false, description: 'YYYY-MM-DD in ATTENDANCE_TIMEZONE; default today' })
  summary(@Query('date') date?: string) {
    return this.attendance.summary(date);
  }

  /** A camera recognised a face: 201 for a new event, 200 for a retried one (same event_id). */
  @Post('recognitions')
  @Authenticated({ roles: ['admin', 'device:camera'] })
  @image()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: RecognitionDto })
  @ApiOkResponse({ description: 'The same result as the first time, for a retried event_id' })
  async recognize(@CurrentPrincipal() p: Principal, @Body() dto: RecognitionDto, @Res({ passthrough: true }) res: Response, @UploadedFile() file?: Express.Multer.File) {
    const r = await this.attendance.recognize(p, dto, file);
    res.status(r.replayed ? 200 : 201);
    return r;
  }

  /** An employee's photo (employee frames carry its URL). */
  @Put('employees/:id/image')
  @Authenticated({ roles: BACK_OFFICE })
  @image()
  @ApiConsumes('multipart/form-data')
  async employeeImage(@Param('id', ParseIntPipe) id: number, @UploadedFile() file?: Express.Multer.File) {
    await this.employees.get(id);
    const stored = await this.media.saveImage(file?.buffer, 'employee_images');
    const e = employeeSnapshot(await this.employees.setImage(id, stored.path));
    return { ...e, image: this.media.url(e.image_path) };
  }
}
